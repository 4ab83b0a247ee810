import Matching
import Testing

@Suite struct NormalizerTests {
    func words(_ text: String) -> [String] { Normalizer.tokens(text).map(\.text) }
    func roles(_ text: String) -> [NameToken.Role] { Normalizer.tokens(text).map(\.role) }

    @Test func foldsCaseDiacriticsAndPunctuation() {
        #expect(words("Ropero Suárez, Emiro-del CARMEN") == ["ropero", "suarez", "emiro", "del", "carmen"])
        #expect(words("MI'MAR Engineering") == ["mimar", "engineering"])
        #expect(words("Ｆｕｌｌｗｉｄｔｈ Ｃｏ") == ["fullwidth", "co"])
        #expect(words("Straße Müller") == ["strasse", "muller"])
    }

    /// A disguised name reads as the reader sees it: look-alike letters from another script, invisible characters,
    /// spaced or punctuated letters, wide or styled letters.
    @Test func undoesDisguises() {
        for disguised in ["Hіkvіsіon", "H i k v i s i o n", "H.i.k.v.i.s.i.o.n", "H-i-k-v-i-s-i-o-n", "H_i_k_v_i_s_i_o_n", "Ｈｉｋｖｉｓｉｏｎ",
                          "Hik\u{200B}vision", "Hik\u{00AD}vi\u{2060}sion", "𝐇𝐢𝐤𝐯𝐢𝐬𝐢𝐨𝐧", "НІКVISION"] {
            #expect(words(disguised) == ["hikvision"], "\(disguised)")
        }
        #expect(words("ІRАΝ СЕΝТRІFUGE ТЕСНΝОLОGΥ СOМРANΥ") == ["iran", "centrifuge", "technology", "company"])
        // Real Cyrillic is transliterated as before, and two initials stay initials.
        #expect(words("Лукашенко Александр") == ["lukashenko", "aleksandr"])
        #expect(words("J K Rowling") == ["j", "k", "rowling"])
        #expect(words("Ig0r Sech1n") == ["igor", "sechin"])
        #expect(words("3M Company MiG29 T-72 Boeing 737") == ["3m", "company", "mig29", "t", "72", "boeing", "737"], "numbers stay numbers")
    }

    @Test func marksLegalFormsInEveryLanguage() {
        for name in ["Nimr International L.L.C.", "Acme GmbH", "Gazprom, OAO", "Hangzhou Co., Ltd.", "Distribuidora S.A. de C.V.", "Bank PJSC"] {
            #expect(Normalizer.tokens(name).contains { $0.role == .legalForm }, "\(name)")
        }
        #expect(words("Nimr International L.L.C.").last == "llc")
        #expect(roles("OOO Roga i Kopyta").first == .legalForm)
    }

    @Test func dropsHonorificsButNotTheWholeName() {
        #expect(words("Dr. Ehsan Mohammadi") == ["ehsan", "mohammadi"])
        #expect(words("Miss Kristina Davis") == ["kristina", "davis"])
        #expect(words("Doctor") == ["doctor"])
    }

    @Test func transliteratesOtherScripts() {
        #expect(words("Сергей Иванович Неверов") == ["sergey", "ivanovich", "neverov"])
        // Unvowelled Arabic, with the joined article split off as Latin lists write it.
        #expect(words("سعید جان عبد السلام") == ["syd", "jan", "bd", "al", "slam"])
        #expect(words("刘文") == ["liu", "wen"])
    }

    @Test func transliterationFormsAndKeysFoldSpellingVariants() {
        #expect(TransliterationForm.of("seeam") == TransliterationForm.of("siam"))
        #expect(TransliterationForm.of("huree") == TransliterationForm.of("khuri"))
        #expect(TransliterationForm.of("kompany") == TransliterationForm.of("company"))
        #expect(TransliterationForm.of("opara") != TransliterationForm.of("opera"))
        #expect(PhoneticKey.key("emeero") == PhoneticKey.key("emiro"))
        #expect(PhoneticKey.key("mazloom") == PhoneticKey.key("mzlwm"))
        #expect(PhoneticKey.keys("kalinowski").contains(PhoneticKey.key("kalinovski")))
    }

    @Test func editDistanceStopsEarlyAndAllowsByLength() {
        #expect(StringSimilarity.distance(Array("meamar".utf8), Array("meamap".utf8), limit: 2) == 1)
        #expect(StringSimilarity.distance(Array("abcd".utf8), Array("badc".utf8), limit: 2) == 2)
        #expect(StringSimilarity.distance(Array("abcdefgh".utf8), Array("zzzzzzzz".utf8), limit: 2) == 3)
        #expect(StringSimilarity.similarity(Array("bmw".utf8), Array("bmi".utf8)) == 0, "three-letter words need an exact match")
        #expect(StringSimilarity.similarity(Array("imd".utf8), Array("imad".utf8)) > 0, "but may miss one letter")
        #expect(StringSimilarity.similarity(Array("hikvision".utf8), Array("hikvsion".utf8)) > 0.85)
    }

    @Test func readsDatesOfBirthAndIdentifiers() {
        #expect(BirthDate.parse("11 Feb 1934") == BirthDate(year: 1934, month: 2, day: 11))
        #expect(BirthDate.parse("1973-03-25") == BirthDate(year: 1973, month: 3, day: 25))
        #expect(BirthDate.parse("circa 1958") == BirthDate(year: 1958))
        #expect(BirthDate.parse("unknown") == nil)
        #expect(IdentifierValue.normalize("CNE-100 000.pm8") == "CNE100000PM8")
        #expect(CountryCodes.code(for: "Korea, North") == "KP")
        #expect(CountryCodes.code(for: "Switzerland") == "CH")
        #expect(CountryCodes.code(for: "CN") == "CN")
    }
}

@Suite struct NumberWordsTests {
    func words(_ name: String) -> [String] { Normalizer.tokens(name).map(\.text) }

    @Test func numbersWrittenAsWordsReadAsNumbers() {
        #expect(words("Brigade Forty-Four") == words("Brigade 44"))
        #expect(words("First Capital Bank") == words("1st Capital Bank"))
        #expect(words("Three Percenters") == words("3 Percenters"))
        #expect(words("Twenty-First Century Fox") == words("21st Century Fox"))
        #expect(words("One Hundred and Five Holdings") == ["105", "holdings"])
        #expect(words("Two Thousand Twenty Three Fund") == ["2023", "fund"])
        // Two numbers side by side stay two; a word that only contains a number word is left alone.
        #expect(words("One Two Trading") == ["1", "2", "trading"])
        #expect(words("Someone Tenfold") == ["someone", "tenfold"])
    }

    @Test func namesDifferingInAWrittenNumberDoNotMatch() {
        let matcher = Matcher(index: MatchIndex(entries: [MatchableEntry(kind: .organization, names: [.init(text: "BRIGADE 44", kind: .primary)])]))
        #expect(matcher.match(MatchQuery(names: ["Brigade Forty-Four"]), minimumScore: 0.9, limit: 1).first?.score == 1)
        #expect(matcher.match(MatchQuery(names: ["Brigade Forty-Five"]), minimumScore: 0.5, limit: 1).isEmpty)
    }
}

@Suite struct LegalFormsAndTitlesTests {
    /// Legal forms written out in German, Spanish, French, Dutch and Polish weigh nothing, like their abbreviations.
    @Test func legalFormsWrittenOutMatchTheirAbbreviations() {
        let matcher = Matcher(index: MatchIndex(entries: [
            MatchableEntry(kind: .organization, names: [.init(text: "SIEMENS AG", kind: .primary)]),
            MatchableEntry(kind: .organization, names: [.init(text: "FABERLIC EUROPE", kind: .primary)]),
        ]))
        func score(_ name: String) -> Double { matcher.match(MatchQuery(names: [name]), minimumScore: 0.5, limit: 1).first?.score ?? 0 }
        #expect(score("Siemens Aktiengesellschaft") == 1)
        #expect(score("FABERLIC EUROPE Sp. z o.o.") >= 0.9)
        #expect(score("Faberlic Europe Sociedad Anonima") == 1)
    }

    /// An office written before a name is not part of it; a name that is only the office is kept whole.
    @Test func officesBeforeANameAreDropped() {
        #expect(Normalizer.tokens("President Erdogan").map(\.text) == ["erdogan"])
        #expect(Normalizer.tokens("Colonel Muammar Qadhafi").map(\.text) == ["muammar", "qadhafi"])
        #expect(Normalizer.tokens("Sultan Bashir").map(\.text) == ["sultan", "bashir"])
        #expect(Normalizer.tokens("President").map(\.text) == ["president"])
    }
}
