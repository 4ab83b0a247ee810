import Matching
import Testing

@Suite struct MatcherTests {
    static let entries: [MatchableEntry] = [
        MatchableEntry(kind: .organization, names: [.init(text: "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", kind: .primary),
                                                   .init(text: "HIKVISION", kind: .aka)], countries: ["CN"], identifiers: ["CNE100000PM8"]),
        MatchableEntry(kind: .person, names: [.init(text: "ROPERO SUAREZ, Emiro del Carmen", kind: .primary)], countries: ["CO"],
                       birthDates: [BirthDate(year: 1960, month: 1, day: 2)]),
        MatchableEntry(kind: .organization, names: [.init(text: "NIMR INTERNATIONAL L.L.C.", kind: .primary)]),
        MatchableEntry(kind: .organization, names: [.init(text: "URALVAGONZAVOD", kind: .primary)]),
        MatchableEntry(kind: .vessel, names: [.init(text: "OCEAN STAR", kind: .primary)]),
        MatchableEntry(kind: .organization, names: [.init(text: "BANCO NACIONAL DE CUBA", kind: .primary), .init(text: "BNC", kind: .weak)]),
        MatchableEntry(kind: .organization, names: [.init(text: "CASIC", kind: .primary)]),
        MatchableEntry(kind: .person, names: [.init(text: "MOHAMMADI, Ehsan", kind: .primary)]),
        MatchableEntry(kind: .person, names: [.init(text: "CHEN, Dong", kind: .primary)]),
    ] + (0..<200).map { MatchableEntry(kind: .organization, names: [.init(text: "TRADING COMPANY NUMBER \($0) LIMITED", kind: .primary)]) }

    static let matcher = Matcher(index: MatchIndex(entries: entries))

    func top(_ name: String, kind: EntityKind = .unknown, country: String? = nil, birth: BirthDate? = nil, identifiers: [String] = []) -> Match? {
        Self.matcher.match(MatchQuery(names: [name], kind: kind, country: country, birthDate: birth, identifiers: identifiers),
                           minimumScore: 0.5, limit: 5).first
    }

    /// A supplier master's registered name adds a place in front of the listed name and a legal form after it; the
    /// place is learnt from the lists' own addresses (three entries or more give it).
    @Test func aRegisteredNameWithItsPlaceFindsTheListedName() throws {
        let listed = [MatchableEntry(kind: .organization, names: [.init(text: "Dahua Technology", kind: .primary)], addressWords: ["zhejiang", "hangzhou"])]
            + (0..<3).map { MatchableEntry(kind: .organization, names: [.init(text: "Qux Widget \($0) Factory", kind: .primary)], addressWords: ["zhejiang"]) }
            + (0..<50).map { MatchableEntry(kind: .organization, names: [.init(text: "Technology Holdings \($0)", kind: .primary)]) }
        let matcher = Matcher(index: MatchIndex(entries: listed))
        func score(_ name: String) -> Double {
            matcher.match(MatchQuery(names: [name], kind: .organization), minimumScore: 0.3, limit: 1).first?.score ?? 0
        }
        #expect(score("Zhejiang Dahua Technology Co., Ltd.") >= 0.9, "\(score("Zhejiang Dahua Technology Co., Ltd."))")
        // Not a place the lists know, or after the name: the extra word costs its full weight.
        #expect(score("Quiznos Dahua Technology Co., Ltd.") < score("Zhejiang Dahua Technology Co., Ltd."))
        #expect(score("Dahua Technology Zhejiang") < score("Zhejiang Dahua Technology"))
    }

    /// Chinese, Japanese and Korean legal forms and generic words weigh what their English counterparts do: two
    /// companies sharing only `股份有限公司` and `科技` (Co., Ltd. and Technology) are not a match; the same name in
    /// simplified and traditional characters is.
    @Test func cjkLegalFormsAndGenericWordsMatchNothingByThemselves() {
        let listed = [MatchableEntry(kind: .organization, names: [.init(text: "山东华光光电子股份有限公司", kind: .primary)]),
                      MatchableEntry(kind: .organization, names: [.init(text: "中國中油股份有限公司", kind: .primary)]),
                      MatchableEntry(kind: .organization, names: [.init(text: "中国航天科技集团有限公司", kind: .primary)])]
            + (0..<20).map { MatchableEntry(kind: .organization, names: [.init(text: "Filler Works \($0)", kind: .primary)]) }
        let matcher = Matcher(index: MatchIndex(entries: listed))
        func best(_ name: String) -> Match? { matcher.match(MatchQuery(names: [name], kind: .organization), minimumScore: 0.76, limit: 1).first }
        #expect(best("广东光华科技股份有限公司") == nil)
        #expect(best("中航重机股份有限公司") == nil)
        #expect(best("中国航天科技集团有限公司")?.entry == 2)
        #expect(best("中國航天科技集團有限公司")?.entry == 2, "traditional characters")
    }

    /// Names that differ only in a number are different parties; digits standing for letters are read as letters.
    @Test func numbersTellNamesApartAndDigitsForLettersDoNot() {
        let listed = [MatchableEntry(kind: .vessel, names: [.init(text: "SNOW STORM 2", kind: .primary)]),
                      MatchableEntry(kind: .organization, names: [.init(text: "BRIGADE 44", kind: .primary)]),
                      MatchableEntry(kind: .person, names: [.init(text: "SECHIN, Igor Ivanovich", kind: .primary)])]
        let matcher = Matcher(index: MatchIndex(entries: listed))
        func best(_ name: String) -> Match? { matcher.match(MatchQuery(names: [name], kind: .unknown), minimumScore: 0.5, limit: 1).first }
        #expect(best("Snow Storm 1") == nil)
        #expect(best("Brigade 45") == nil)
        #expect(best("Snow Storm 2")?.score == 1 && best("Brigade 44")?.score == 1)
        let disguised = best("Ig0r Sech1n")
        #expect(disguised?.entry == 2 && (disguised?.score ?? 0) >= 0.76)
        #expect(disguised?.explanation.evidence.contains { $0.kind == "disguise" } == true)
    }

    @Test func exactCaseAndLegalFormVariantsScoreOne() {
        for query in ["hangzhou hikvision digital technology co ltd", "Hangzhou Hikvision Digital Technology Company Limited",
                      "HANGZHOU HIKVISION DIGITAL TECHNOLOGY", "Nimr International LLC", "NIMR INTERNATIONAL GMBH"] {
            let match = top(query)
            #expect(match?.score == 1, "\(query): \(String(describing: match?.score))")
        }
        #expect(top("Hikvision")?.entry == 0)
        #expect(top("Ltd") == nil, "legal forms alone never match")
    }

    @Test func toleratesReorderingTyposDropsAndExtraWords() {
        #expect(top("Emiro del Carmen ROPERO SUAREZ", kind: .person)?.score == 1)
        #expect((top("Emiro Del Carmen Rpero Suarez", kind: .person)?.score ?? 0) > 0.85)
        #expect((top("Emiro Ropero Suarez", kind: .person)?.score ?? 0) > 0.76)
        #expect((top("Uralvagonzavod Europe")?.score ?? 0) > 0.8, "generic extra words cost little")
        #expect(top("Uralv Agonzavod")?.explanation.tokens.first?.how == "joined")
        #expect(top("nimr inter national llc")?.entry == 2)
        #expect(top("E. Mohammadi", kind: .person)?.explanation.tokens.first?.how == "initial")
        #expect((top("NIMR Intl L.L.C.")?.score ?? 0) > 0.85, "abbreviations")
    }

    @Test func transliterationVariants() {
        #expect((top("Emeero Del Carmen Ropero Souarez", kind: .person)?.score ?? 0) > 0.8)
        #expect((top("ehsan mohamadi", kind: .person)?.score ?? 0) > 0.8)
    }

    @Test func weighsDistinctiveWordsAboveCommonOnes() {
        let match = top("Hikvision Trading Company")
        #expect(match?.entry == 0)
        let hikvision = match?.explanation.tokens.first { $0.query == "hikvision" }
        let trading = match?.explanation.tokens.first { $0.query == "trading" }
        #expect((hikvision?.weight ?? 0) > 0.8)
        #expect((trading?.weight ?? 1) <= 0.25)
        #expect(match?.explanation.tokens.first { $0.query == "company" }?.how == "legal-form")
    }

    @Test func oneShortWordMustMatchExactly() {
        #expect(top("Casio") == nil, "Casio is not CASIC")
        #expect(top("CASIC")?.score == 1)
    }

    /// Callers get types wrong: a different type lowers the score and says so, it does not hide an exact match.
    @Test func aDifferentTypeIsEvidenceAgainstNotAFilter() {
        let person = top("Ocean Star", kind: .person)
        #expect(person?.entry == 4 && person?.score == 0.88)
        #expect(person?.explanation.evidence.map(\.detail) == ["screened as person; the entry is a vessel"])
        #expect(top("Ocean Star", kind: .organization)?.score == 1, "a company may own the vessel of its name")
        #expect(top("Ehsan Mohammadi", kind: .vessel)?.explanation.evidence.first?.kind == "type")
    }

    /// A renamed, reflagged vessel keeps its IMO number; OFAC writes it `IMO 9187655`, a caller sends the digits.
    @Test func aStrongIdentifierFindsItsEntryUnderAnotherName() {
        let entries = [
            MatchableEntry(kind: .vessel, names: [.init(text: "ARK", kind: .primary)], identifiers: [IdentifierValue.normalize("IMO 9187655")]),
            MatchableEntry(kind: .organization, names: [.init(text: "ACME TRADING", kind: .primary)], weakIdentifiers: ["ACMETRD"]),
        ]
        let matcher = Matcher(index: MatchIndex(entries: entries))
        let renamed = matcher.match(MatchQuery(names: ["MV Blue Star"], kind: .vessel, identifiers: [IdentifierValue.normalize("9187655")]),
                                    minimumScore: 0.5, limit: 5)
        #expect(renamed.first?.entry == 0 && renamed.first?.score == 0.95)
        #expect(renamed.first?.explanation.evidence.last?.detail.contains("under another name") == true)
        // A weak identifier (a ticker) supports a name; alone it finds nothing.
        #expect(matcher.match(MatchQuery(names: ["Blue Star"], identifiers: ["ACMETRD"]), minimumScore: 0.5, limit: 5).isEmpty)
        #expect(IdentifierValue.isValidIMO("9187655") && !IdentifierValue.isValidIMO("9187656"))
        #expect(IdentifierValue.normalize("MMSI 572469210") == "572469210" && IdentifierValue.normalize("CNE-100 000.PM8") == "CNE100000PM8")
    }

    @Test func secondaryEvidenceMovesTheScore() {
        let plain = top("Emiro Ropero Suarez", kind: .person)?.score ?? 0
        let sameCountry = top("Emiro Ropero Suarez", kind: .person, country: "CO")
        #expect((sameCountry?.score ?? 0) > plain)
        #expect(sameCountry?.explanation.evidence.contains { $0.kind == "country" && $0.effect > 0 } == true)
        #expect((top("Emiro Ropero Suarez", kind: .person, birth: BirthDate(year: 1990))?.score ?? 0) < plain - 0.1)
        #expect((top("Emiro Ropero Suarez", kind: .person, birth: BirthDate(year: 1960, month: 1, day: 2))?.score ?? 0) > plain)
        let byIdentifier = top("Hangzhou Digital", identifiers: ["CNE100000PM8"])
        #expect((byIdentifier?.score ?? 0) >= 0.95, "an identical identifier is strong evidence")
    }

    @Test func reportsWeakAliasesAndExplainsEveryWord() {
        let weak = top("BNC")
        #expect(weak?.explanation.nameKind == .weak)
        let explained = top("Hangzhou Hikvison Digital Technology Co Ltd")
        #expect(explained?.explanation.tokens.map(\.how) == ["exact", "typo", "exact", "exact", "legal-form", "legal-form"])
        #expect(explained?.explanation.matchedName == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
    }

    @Test func chineseScriptTransliterationsCountForLess() {
        let match = top("陈东", kind: .person)
        #expect((match?.score ?? 1) < 0.95)
        #expect(match?.explanation.evidence.contains { $0.kind == "transliteration" } == true)
    }

    @Test func resultsAreDeterministic() {
        let a = Self.matcher.match(MatchQuery(names: ["trading company number"]), minimumScore: 0.3, limit: 50)
        let b = Self.matcher.match(MatchQuery(names: ["trading company number"]), minimumScore: 0.3, limit: 50)
        #expect(a.map(\.entry) == b.map(\.entry))
        #expect(a.map(\.score) == b.map(\.score))
    }

    /// Looking a list entry up among counterparties: words weigh as in the list index, so a name many counterparties
    /// share is still found (by its own weights, all 1,000 of them were dismissed as uninformative), and no more
    /// than the candidate limit is cut.
    @Test func anIndexWeighedByAnotherFindsNamesItsOwnEntriesShare() {
        let lists = MatchIndex(entries: [
            MatchableEntry(kind: .unknown, names: [.init(text: "NEW SHIPPING CO.", kind: .primary)]),
            MatchableEntry(kind: .unknown, names: [.init(text: "Banco Nacional de Cuba", kind: .primary)]),
        ])
        let shared = (0..<1000).map { _ in MatchableEntry(kind: .unknown, names: [.init(text: "New Shipping Co", kind: .primary)]) }
        let query = MatchQuery(names: ["NEW SHIPPING CO."])
        #expect(Matcher(index: MatchIndex(entries: shared)).match(query, minimumScore: 0.4, limit: 5000).isEmpty)
        let weighed = Matcher(index: MatchIndex(entries: shared, rarityFrom: lists), candidateLimit: 5000)
        #expect(weighed.match(query, minimumScore: 0.4, limit: 5000).count == 1000)
    }

    /// What tells two parties apart though their names share words: another Pinyin given name beside a Chinese
    /// surname, an acronym alias inside a longer name, a surname read as a legal form, and two places.
    @Test func namesThatShareWordsButNameOthersDoNotMatch() {
        let listed = [
            MatchableEntry(kind: .person, names: [.init(text: "WANG, Guoying", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "RINCON CASTILLO, Emerio", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "LASHKAR E-TAYYIBA", kind: .primary), .init(text: "LET", kind: .aka)]),
            MatchableEntry(kind: .organization, names: [.init(text: "ZTE CORPORATION", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "SEBASTIANO", kind: .aka), .init(text: "RUIZ, Pedro", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "IRAN CENTRAL IRON ORE COMPANY", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "KOREA ZINC INDUSTRIAL GROUP", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "GAZPROM NEFT PAO", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "JO, Yong Chol", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "BASRAI, Murtuza Mustafamunir", kind: .primary)]),
        ] + (0..<3).map { MatchableEntry(kind: .organization, names: [.init(text: "Qux Widget \($0) Factory", kind: .primary)], addressWords: ["nordic", "dalian"]) }
            + (0..<40).map { MatchableEntry(kind: .organization, names: [.init(text: "Widget Holdings Group \($0)", kind: .primary)]) }
        let matcher = Matcher(index: MatchIndex(entries: listed))
        func score(_ name: String, _ kind: EntityKind) -> Double {
            matcher.match(MatchQuery(names: [name], kind: kind), minimumScore: 0.3, limit: 1).first?.score ?? 0
        }
        // Syllables, not letters: Guoping is not Guoying. A typo that is no Pinyin name still matches, as does a
        // Latin name whose letters happen to spell Pinyin (`Emario`).
        #expect(score("Guoping Wang", .person) < 0.76)
        #expect(score("Guoyng Wang", .person) >= 0.76)
        #expect(score("Emario Rincon Castillo", .person) >= 0.76)
        // An acronym alias is matched by itself, not inside another name; a primary name keeps its subsidiaries.
        #expect(score("LET", .organization) >= 0.9)
        #expect(score("LET Group Holdings Limited", .organization) < 0.76)
        #expect(score("ZTE Kangxun Telecom", .organization) > 0)
        // A person has no legal form: `Padó` is a surname left unmatched.
        #expect(score("Sebastian Padó", .person) < 0.76)
        // A registered name's place in front of the listed name counts little, unless the listed name has a place
        // of its own.
        #expect(score("Nordic Iron Ore AB", .organization) < 0.76)
        #expect(score("Dalian Korea Zinc Industrial Co.", .organization) >= 0.76)
        // A given name on each side that the other lacks is two people; one written inside the other is one name.
        #expect(score("Yong Suk Jo", .person) < 0.76)
        #expect(score("Yong Jo", .person) >= 0.76)
        #expect(score("Murtuza Munir Basrai", .person) >= 0.76)
    }
}
