/// The word lists normalisation needs: legal forms across languages, particles, honorifics and abbreviations.
enum Vocabulary {
    /// Legal-form words, canonicalised (`limited` → `ltd`) so equivalent forms compare equal in explanations.
    static let legalForms: [String: String] = {
        var forms: [String: String] = [:]
        let groups: [(String, [String])] = [
            ("ltd", ["ltd", "limited", "ltda", "lda", "ltee"]),
            ("co", ["co", "company", "cia", "compania", "companhia", "compagnie", "cie", "kompaniya", "sirketi", "sirket", "shirkat", "sherkat"]),
            ("corp", ["corp", "corporation", "korporatsiya", "korporatsiia"]),
            ("inc", ["inc", "incorporated"]),
            ("llc", ["llc", "llp", "lp", "plc", "pllc", "lllp"]),
            ("liability", ["liability", "otvetstvennostyu", "otvetstvennostiu", "otvetstvennostju", "odpowiedzialnoscia", "responsabilidad", "responsabilita", "responsabilite"]),
            ("gmbh", ["gmbh", "mbh", "ag", "kg", "kgaa", "ug", "ohg", "gbr", "ev", "eu", "aktiengesellschaft", "gesellschaft", "kommanditgesellschaft",
                      "beschrankter", "beschraenkter", "haftung"]),
            ("nv", ["naamloze", "besloten", "vennootschap"]),
            ("sa", ["sociedad", "anonima", "societe", "anonyme", "societa", "spolka", "akcyjna", "oo"]),
            ("sa", ["sa", "sas", "sasu", "sarl", "srl", "spa", "sca", "scs", "snc", "sl", "slu", "sau", "sab", "sapi", "sc", "cv", "rl", "de", "ca", "saic", "saoc", "saog", "sal", "sae"]),
            ("bv", ["bv", "nv", "vof", "cv"]),
            ("ab", ["ab", "as", "asa", "aps", "oy", "oyj", "hf", "ehf", "a/s"]),
            ("ooo", ["ooo", "oao", "zao", "pao", "ao", "tov", "pp", "jsc", "ojsc", "cjsc", "pjsc", "ojs", "jscb", "obshchestvo", "obschestvo", "obshestvo", "obshchestva", "tovarystvo", "aktsionernoe", "aktsionernoye", "aksionernoe", "otkrytoe", "otkrytoye", "zakrytoe", "zakrytoye", "publichnoe", "publichnoye", "ogranichennoy", "ogranichennoi"]),
            ("joint", ["joint", "stock", "closed", "open", "public", "private", "pvt", "pte", "pty", "sdn", "bhd", "tbk", "pt", "jv"]),
            ("kft", ["kft", "zrt", "nyrt", "bt", "sro", "as", "doo", "dd", "ad", "ead", "ood", "eood", "sp", "zoo", "spzoo"]),
            ("fze", ["fze", "fzco", "fzc", "fzllc", "fz", "wll", "spc", "est", "establishment", "ltdco"]),
            ("ticaret", ["ticaret", "sanayi", "ve", "as", "sti", "ltdsti", "tic", "san"]),
        ]
        for (canonical, words) in groups { for word in words where forms[word] == nil { forms[word] = canonical } }
        return forms
    }()

    /// The canonical legal forms (`legalForms`' values) of common-law and of civil-law systems.
    static let commonLawForms: Set<String> = ["ltd", "co", "corp", "inc", "llc"]
    static let civilLawForms: Set<String> = ["sa", "gmbh", "nv", "bv", "ab", "ooo", "kft", "fze", "ticaret"]

    /// Words that tie a name together; kept, lightly weighted.
    static let particles: Set<String> = [
        "of", "and", "the", "for", "de", "del", "della", "der", "den", "des", "di", "da", "do", "dos", "das", "du", "la", "le", "el",
        "al", "bin", "ben", "ibn", "bint", "binti", "bte", "van", "von", "et", "und",
    ]

    /// Words common in business names everywhere but rare in sanctions lists, so list rarity would overrate them:
    /// places, and words that say what kind of business it is. They get a small fixed weight, so `URALVAGONZAVOD
    /// EUROPE` still matches `URALVAGONZAVOD`.
    /// An East Slavic patronymic as the lists transliterate it (`Gennadyevich`, `Yuryevna`, `Anatoliyovych`,
    /// `Ivanovich`): a father's name, which two records of one person share.
    static func isPatronymic(_ word: [UInt8]) -> Bool {
        word.count >= 7 && patronymicEndings.contains { word.reversed().starts(with: $0.utf8.reversed()) }
    }

    /// Initials written as one word: two or three letters with no vowel after the first (`jc`, `aj`), not a
    /// syllable (`ri`, `kim`, `wu`).
    static func areInitials(_ word: [UInt8]) -> Bool {
        (2...3).contains(word.count) && !word.dropFirst().contains(where: PreparedQuery.isVowel)
    }

    private static let patronymicEndings = ["ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ovič", "ievich", "yich"]

    static let generic: Set<String> = [
        "europe", "european", "usa", "us", "america", "american", "americas", "asia", "asian", "africa", "african",
        "global", "world", "worldwide", "international", "intl", "group", "grp", "holding", "holdings", "branch",
        "office", "representative", "trading", "trade", "commerce", "commercial", "services", "service", "industries",
        "industry", "industrial", "enterprise", "enterprises", "solutions", "systems", "technologies", "technology",
        "tech", "partners", "associates", "ventures", "capital", "investment", "investments", "management",
        "consulting", "logistics", "shipping", "import", "export", "general", "national", "united", "new", "north",
        "south", "east", "west", "middle", "central", "overseas", "hk", "uk", "china", "germany", "france", "italy",
        "spain", "india", "japan", "korea", "russia", "canada", "mexico", "brazil", "australia", "singapore", "dubai",
        "emirates", "turkey", "iran", "bank", "fund", "foundation", "center", "centre", "institute",
        "agency", "co", "subsidiary", "division",
    ]

    /// Legal forms and generic words of Chinese, Japanese and Korean company names, simplified and traditional, with
    /// what they are read as (longest first): transliterated syllable by syllable (`gu fen you xian gong si`) they
    /// would be rare words two unrelated companies share, as `Ltd` and `Technology` are not.
    static let cjkForms: [(written: String, read: String)] = [
        ("股份有限公司", " co ltd "), ("有限责任公司", " co ltd "), ("有限責任公司", " co ltd "), ("有限公司", " co ltd "),
        ("株式会社", " co ltd "), ("주식회사", " co ltd "), ("股份公司", " co "), ("公司", " co "),
        ("集团", " group "), ("集團", " group "), ("控股", " holdings "), ("科技", " technology "),
        ("实业", " industrial "), ("實業", " industrial "), ("国际", " international "), ("國際", " international "),
    ]

    /// Titles dropped from a name (a query keeps its words when nothing else would remain).
    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "madam", "madame", "mme", "mlle",
        "herr", "frau", "sr", "sra", "srta", "sheikh", "shaikh", "sheik", "haji", "hajji", "hajj", "mullah", "mulla", "maulana",
        "maulvi", "mawlawi", "qari", "engr", "daw", "rev",
        // Offices and ranks written before a name (`President Erdogan`); not those that are also given names or
        // surnames (`Sultan`, `Emir`, `King`, `Major`).
        "president", "minister", "senator", "governor", "colonel", "lieutenant", "ambassador", "commander", "admiral", "brigadier",
        "ayatollah", "hojatoleslam",
    ]

    /// Abbreviations written in names, expanded when the long form is what the other side has.
    static let abbreviations: [String: [String]] = [
        "intl": ["international"], "int": ["international"], "natl": ["national"], "nat": ["national"], "tech": ["technology", "technologies", "technical"],
        "eng": ["engineering"], "engg": ["engineering"], "mfg": ["manufacturing"], "mfr": ["manufacturer"], "dept": ["department"],
        "assn": ["association"], "assoc": ["association", "associates"], "bros": ["brothers"], "ind": ["industries", "industrial", "industry"],
        "inds": ["industries"], "svc": ["service", "services"], "svcs": ["services"], "serv": ["services", "service"],
        "mgmt": ["management"], "mgt": ["management"], "govt": ["government"], "univ": ["university"], "inst": ["institute"],
        "dev": ["development"], "devt": ["development"], "grp": ["group"], "hldgs": ["holdings"], "hldg": ["holding"], "hold": ["holding", "holdings"],
        "co": ["company"], "corp": ["corporation"], "ent": ["enterprise", "enterprises"], "elec": ["electric", "electrical", "electronics"],
        "sci": ["scientific", "science"], "res": ["research"], "prod": ["production", "products"], "trdg": ["trading"], "trd": ["trading"],
        "shpg": ["shipping"], "invest": ["investment", "investments"], "inv": ["investment"], "fin": ["finance", "financial"],
        "gen": ["general"], "mach": ["machinery"], "med": ["medical"], "pharm": ["pharmaceutical", "pharmaceuticals"],
        "chem": ["chemical", "chemicals"], "comm": ["communications", "commercial"], "cons": ["construction", "consulting"],
        "constr": ["construction"], "st": ["saint", "street"], "mt": ["mount"], "ft": ["fort"], "nav": ["navigation"], "aero": ["aeronautical"],
        "amer": ["american"], "ctr": ["center", "centre"], "cent": ["central"], "coop": ["cooperative", "cooperation"],
        "org": ["organization", "organisation"], "ass": ["association"], "auth": ["authority"], "admin": ["administration"],
        "mohd": ["mohammed", "mohammad", "muhammad"], "md": ["mohammed", "muhammad", "mohammad"], "muhd": ["muhammad"],
        "abd": ["abdul", "abdel"], "wm": ["william"], "jas": ["james"], "chas": ["charles"], "geo": ["george"], "thos": ["thomas"],
    ]
}
