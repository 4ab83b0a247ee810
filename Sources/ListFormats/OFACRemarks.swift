import Foundation

/// Reads the semicolon-separated facts OFAC writes into Remarks: weak aliases, dates of birth, nationality and
/// citizenship, and identification documents.
enum OFACRemarks {
    /// Identifier labels as OFAC writes them, longest first so `National ID No.` wins over `ID No.`.
    static let identifierLabels: [String] = [
        "Vessel Registration Identification", "Unified Social Credit Code (USCC)", "Business Registration Number",
        "Registration Number", "Registration ID", "National ID No.", "Tax ID No.", "Passport", "Cedula No.", "SSN", "NIT #",
        "RFC", "C.U.I.T.", "D-U-N-S Number", "SWIFT/BIC", "Company Number", "Identification Number", "Personal ID Card",
        "Driver's License No.", "Residency Number", "Equity Ticker", "ISIN", "MMSI", "Aircraft Serial Identification",
        "Aircraft Tail Number", "Legal Entity Number", "Public Registration Number", "Commercial Registry Number",
        "Citizen's Card Number", "Government Gazette Number", "Kenyan ID No.", "UAE Identification",
    ].sorted { $0.count > $1.count }

    static func apply(_ remarks: String, to entry: inout ListEntry) {
        entry.remarks = remarks
        for alias in quotedAliases(in: remarks) where !entry.aliases.contains(where: { $0.name == alias }) {
            entry.aliases.append(Alias(name: alias, kind: .weak))
        }
        for raw in remarks.components(separatedBy: ";") {
            let item = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let lower = item.lowercased()
            if lower.hasPrefix("dob ") || lower.hasPrefix("alt. dob "), let marker = item.range(of: "DOB ", options: .caseInsensitive) {
                entry.datesOfBirth.append(String(item[marker.upperBound...]))
            } else if let country = strip(item, prefixes: ["nationality ", "alt. nationality ", "citizen ", "alt. citizen "]) {
                if !entry.countries.contains(country) { entry.countries.append(country) }
            } else if let label = identifierLabels.first(where: { item.hasPrefix($0 + " ") }) {
                entry.identifiers.append(identifier(label, String(item.dropFirst(label.count + 1))))
            }
        }
    }

    /// `Passport A1234567 (Russia) expires 2020` → type Passport, value A1234567, country Russia.
    static func identifier(_ label: String, _ rest: String) -> Identifier {
        var value = rest
        var country: String?
        if let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            country = String(rest[rest.index(after: open)..<close])
            value = String(rest[..<open])
        }
        return Identifier(type: label, value: value.trimmingCharacters(in: .whitespaces), country: country)
    }

    private static func strip(_ item: String, prefixes: [String]) -> String? {
        for prefix in prefixes where item.lowercased().hasPrefix(prefix) {
            return String(item.dropFirst(prefix.count)).nonEmpty
        }
        return nil
    }

    /// Every `a.k.a. 'NAME'` (also `f.k.a.`, `weak a.k.a.`) in the text.
    static func quotedAliases(in text: String) -> [String] {
        var aliases: [String] = []
        var search = text.startIndex
        while let marker = text.range(of: "k.a. '", range: search..<text.endIndex) {
            guard let close = text[marker.upperBound...].firstIndex(where: { $0 == "'" }) else { break }
            // A quote inside a name (O'BRIEN) is followed by a letter; the closing one is not.
            var end = close
            while end < text.endIndex, text.index(after: end) < text.endIndex, text[text.index(after: end)].isLetter,
                  let next = text[text.index(after: end)...].firstIndex(of: "'") {
                end = next
            }
            if let name = String(text[marker.upperBound..<end]).nonEmpty { aliases.append(name) }
            search = text.index(after: end)
        }
        return aliases
    }
}
