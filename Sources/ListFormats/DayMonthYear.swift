import Foundation

/// Dates as the UK lists write them.
enum DayMonthYear {
    /// `dd/mm/yyyy` as `YYYY-MM-DD`, as `YYYY-MM` or `YYYY` when the day or month is unknown: OFSI writes it `00`,
    /// the FCDO `dd` or `mm` (`00/00/1980` and `dd/mm/1945` are a year). Anything else as published.
    static func iso(_ text: String) -> String {
        let parts = text.split(separator: "/")
        guard parts.count == 3, parts[2].count == 4, parts[2].allSatisfy(\.isNumber) else { return text }
        func known(_ part: Substring) -> Bool { part.allSatisfy(\.isNumber) && Int(part) != 0 }
        guard known(parts[1]) else { return String(parts[2]) }
        let month = parts[1].count == 1 ? "0\(parts[1])" : String(parts[1])
        guard known(parts[0]) else { return "\(parts[2])-\(month)" }
        return "\(parts[2])-\(month)-\(parts[0].count == 1 ? "0\(parts[0])" : String(parts[0]))"
    }
}
