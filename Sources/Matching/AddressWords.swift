/// The words of an address that can place it (a city, a district, a street's name), for comparing a caller's
/// address with a listed party's: normalised like names, four letters or more, without numbers, country names (the
/// country is evidence of its own) and the words every address has.
public enum AddressWords {
    static let common: Set<String> = [
        "road", "street", "avenue", "lane", "building", "floor", "room", "suite", "unit", "block", "tower", "district", "city",
        "province", "region", "state", "county", "village", "town", "area", "zone", "industrial", "park", "plaza", "center",
        "centre", "office", "house", "north", "south", "east", "west", "central", "main", "new", "no", "number",
    ]

    public static func of(_ text: String) -> Set<String> {
        Set(Normalizer.tokens(text).compactMap { token in
            guard token.role == .word, token.text.count >= 4, token.text.contains(where: \.isLetter),
                  !token.text.contains(where: \.isNumber), !common.contains(token.text), CountryCodes.code(for: token.text) == nil else { return nil }
            return token.text
        })
    }
}
