/// What every OFAC format shares: who publishes it, the names Clearance gives its two lists (policy rules select on
/// them), and the features that identify a party in the XML formats.
public enum OFACLists {
    public static let authority = "Office of Foreign Assets Control (OFAC), US Department of the Treasury"
    public static let sdn = "Specially Designated Nationals (SDN) List"
    public static let consolidated = "OFAC Consolidated (non-SDN) List"

    /// A list as the XML formats name it (`SDN List`, `Consolidated List`, `Non-SDN CMIC List`), in Clearance's words
    /// for the two umbrella lists and the publisher's for the rest.
    static func sourceList(_ published: String) -> String {
        switch published {
        case "SDN List": sdn
        case "Consolidated List": consolidated
        default: published
        }
    }

    /// Features that identify the party, kept as identifiers under their own names.
    static let identifyingFeatures: Set<String> = ["ISIN", "SWIFT/BIC", "Equity Ticker", "BIK (RU)", "Website", "Email Address", "Phone Number",
                                                   "Vessel Registration Identification", "MMSI", "Aircraft Manufacturer's Serial Number (MSN)"]
}
