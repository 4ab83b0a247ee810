import Matching
import Testing

/// What the shape of a name says: a listed name inside a longer registered one, a place the listed name adds, generic
/// words that corroborate a misspelt one, legal forms misspelt or transliterated, aliases written inside a name, and
/// Chinese names too short to say much through a transliteration.
@Suite struct NameStructureTests {
    static let filler = SpellingVariationTests.filler

    func score(_ matcher: Matcher, _ name: String, kind: EntityKind = .unknown, entry: Int = 0) -> Double {
        matcher.match(MatchQuery(names: [name], kind: kind), minimumScore: 0.3, limit: 5).first { $0.entry == entry }?.score ?? 0
    }

    /// `Avaran Pouya Control` for `Pouya Control`: an organisation's listed name whole inside the query, with a
    /// rare word, reaches review; a person's name beside a company's word does not (`Mohammed Hansen`).
    @Test func aListedNameInsideALongerOneReachesReview() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "POUYA CONTROL", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "HANSEN TECHNOLOGIES LIMITED", kind: .primary)]),
        ] + Self.filler + (0..<40).map { MatchableEntry(kind: .organization, names: [.init(text: "Control Systems \($0)", kind: .primary)]) }))
        #expect(score(matcher, "Avaran Pouya Control", kind: .organization) >= 0.76)
        #expect(score(matcher, "Mohammed Hansen", kind: .person, entry: 1) < 0.76)
    }

    /// `Dalian Korea Zinc Industrial Co.` for `Korea Zinc Industrial Group`: a generic word the listed name has and the
    /// registered one lacks does not stop the place in front counting for a fifth.
    @Test func aRegisteredNameMayLackAGenericWordOfTheListedOne() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "KOREA ZINC INDUSTRIAL GROUP", kind: .primary)]),
        ] + Self.filler + (0..<3).map { MatchableEntry(kind: .organization, names: [.init(text: "Qux \($0)", kind: .primary)], addressWords: ["dalian"]) }))
        #expect(score(matcher, "Dalian Korea Zinc Industrial Company Limited", kind: .organization) >= 0.76)
    }

    /// `Movement for Islamic Reform in Arabia` for `Islamic Movement for Reform`: a place the listed organisation's
    /// name adds (a place the lists' addresses name) costs half of what another word would.
    @Test func aPlaceTheListedNameAddsCostsHalf() {
        func matcher(arabiaIsAPlace: Bool) -> Matcher {
            Matcher(index: MatchIndex(entries: [
                MatchableEntry(kind: .organization, names: [.init(text: "MOVEMENT FOR ISLAMIC REFORM IN ARABIA", kind: .primary)]),
            ] + Self.filler + (0..<3).map {
                MatchableEntry(kind: .organization, names: [.init(text: "Qux \($0)", kind: .primary)], addressWords: arabiaIsAPlace ? ["arabia"] : ["nowhere"])
            }))
        }
        let place = score(matcher(arabiaIsAPlace: true), "Islamic Movement for Reform", kind: .organization)
        let word = score(matcher(arabiaIsAPlace: false), "Islamic Movement for Reform", kind: .organization)
        #expect(place >= 0.76 && word < 0.76, "\(place) \(word)")
    }

    /// More names share `plant` than are scored in full; the generic words around it (`China National ...
    /// Import/Export`) find the one meant, and three of them matched exactly let the distinctive word be misspelt.
    @Test func genericWordsFindAndCorroborateAMisspeltName() {
        let entries = (0..<2000).map { MatchableEntry(kind: .organization, names: [.init(text: "Filler Works \($0)", kind: .primary)]) }
            + (0..<30).map { _ in MatchableEntry(kind: .organization, names: [.init(text: "Plant", kind: .primary)]) }
            + [MatchableEntry(kind: .organization, names: [.init(text: "China National Plant Import/Export Co.", kind: .primary)])]
        let matcher = Matcher(index: MatchIndex(entries: entries), candidateLimit: 20)
        let listed = entries.count - 1
        #expect(score(matcher, "Chian National Plant Import/Export Co.", kind: .organization, entry: listed) >= 0.76)
        #expect(score(matcher, "China National Paant Import/Export Co", kind: .organization, entry: listed) >= 0.76)
        // Alone, a misspelt short word is another name.
        #expect(score(matcher, "Paant", kind: .organization, entry: listed) == 0)
    }

    /// A word closing an organisation's name that is a legal form misspelt (`Saul` for `SARL`) or transliterated (`Ko`
    /// for `Co`) weighs nothing, even when some list has it as a name; `E.U.` is a legal form.
    @Test func misspeltAndTransliteratedLegalForms() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "SWISS MANAGEMENT SERVICES SARL", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "SELKBAF CO", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "BOLSAK E.U.", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "SAUL, Peter", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "KO, Chol", kind: .primary)]),
        ] + Self.filler))
        #expect(score(matcher, "Swiss Management Services Saul", kind: .organization) >= 0.9)
        #expect(score(matcher, "Salkbaf Ko", kind: .organization, entry: 1) >= 0.76)
        #expect(score(matcher, "Bolsak S.A.", kind: .organization, entry: 2) == 1)
        // A person's name keeps its words.
        #expect(score(matcher, "Chol Ko", kind: .person, entry: 4) == 1)
    }

    /// A closing word no list has, one slip from a legal form, weighs nothing (`Sall` for `SARL`).
    @Test func aMisspeltClosingLegalFormWeighsNothing() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "MEAMAR SARL", kind: .primary)]),
        ] + Self.filler))
        #expect(score(matcher, "Meamar Sall") == 1)
    }

    /// `Fondation Secours Mondial 'World Relief'`: the quoted alias and the name outside it are each screened; what
    /// brackets hold (`(Class C)`) is as often a remark, and is not screened alone.
    @Test func aliasesWrittenInsideANameAreScreenedAlone() throws {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "FONDATION SECOURS MONDIAL", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "CLASS C HOLDINGS", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "PETROV, Ivan", kind: .primary)]),
        ] + Self.filler))
        let found = try #require(matcher.match(MatchQuery(names: ["Fondation Secours Mondial 'World Relief'"]), minimumScore: 0.3, limit: 1).first)
        #expect(found.score == 1 && found.explanation.queryName == "Fondation Secours Mondial")
        #expect(score(matcher, "Clearway Energy (Class C)", entry: 1) < 0.76)
        #expect(score(matcher, "Vanya Sidorov a.k.a. Ivan Petrov", kind: .person, entry: 2) == 1)
        // An apostrophe is not a quote.
        #expect(score(matcher, "Ivan 'Petrov", kind: .person, entry: 2) == 1)
    }

    /// `陈东` is Chen Dong, and so are a great many people: a two-syllable Chinese name matched through its
    /// transliteration stays under review; three syllables say more.
    @Test func aTwoSyllableChineseNameSaysLittleThroughItsTransliteration() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .person, names: [.init(text: "CHEN, Dong", kind: .primary)]),
            MatchableEntry(kind: .person, names: [.init(text: "WANG, Xiu Lan", kind: .primary)]),
        ] + Self.filler))
        #expect(score(matcher, "陈东", kind: .person) < 0.76)
        #expect(score(matcher, "王秀兰", kind: .person, entry: 1) >= 0.76)
    }
}
