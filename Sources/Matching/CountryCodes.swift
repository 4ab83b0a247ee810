import Foundation

/// ISO 3166 alpha-2 codes for the country names lists write (`Switzerland`, `Korea, North`, `Burma`, `CN`).
public enum CountryCodes {
    private static let byName: [String: String] = {
        var map: [String: String] = [:]
        let english = Locale(identifier: "en_US")
        for region in Locale.Region.isoRegions where region.identifier.count == 2 {
            map[region.identifier.lowercased()] = region.identifier
            if let name = english.localizedString(forRegionCode: region.identifier) { map[key(name)] = region.identifier }
        }
        let extra: [String: String] = [
            "korea north": "KP", "north korea": "KP", "democratic peoples republic of korea": "KP", "korea south": "KR", "south korea": "KR",
            "republic of korea": "KR", "burma": "MM", "russia": "RU", "russian federation": "RU", "iran": "IR", "syria": "SY",
            "venezuela": "VE", "bolivia": "BO", "tanzania": "TZ", "vietnam": "VN", "viet nam": "VN", "laos": "LA", "moldova": "MD",
            "congo democratic republic of the": "CD", "democratic republic of the congo": "CD", "congo": "CG", "czech republic": "CZ",
            "macau": "MO", "taiwan": "TW", "west bank": "PS", "gaza": "PS", "palestinian": "PS", "palestine": "PS", "kosovo": "XK",
            "cote divoire": "CI", "ivory coast": "CI", "turkey": "TR", "turkiye": "TR", "united kingdom": "GB", "uk": "GB",
            "united states": "US", "usa": "US", "uae": "AE", "united arab emirates": "AE", "brunei": "BN", "cape verde": "CV",
            "swaziland": "SZ", "macedonia": "MK", "north macedonia": "MK", "the gambia": "GM", "gambia": "GM", "bahamas the": "BS",
            "micronesia": "FM", "st kitts and nevis": "KN", "saint kitts and nevis": "KN", "st lucia": "LC", "st vincent and the grenadines": "VC",
            "holy see": "VA", "hong kong": "HK", "region kurdistan iraq": "IQ", "crimea region of ukraine": "UA", "yemen": "YE",
        ]
        for (name, code) in extra { map[name] = code }
        return map
    }()

    /// Country names of one word, four letters or more (`iran`, `syria`), as normalised names spell them: a listed
    /// name's word is looked up here without folding it again.
    static let oneWordNames: Set<String> = Set(byName.keys.filter { $0.count >= 4 && !$0.contains(" ") })

    /// The alpha-2 code of a country name or code, or nil when unknown.
    public static func code(for name: String) -> String? {
        byName[key(name)]
    }

    private static func key(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        return folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == " " }
            .reduce(into: "") { $0.unicodeScalars.append($1) }
            .split(separator: " ").joined(separator: " ")
    }
}
