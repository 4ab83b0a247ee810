import ListFormats

/// Who listed an entry, in the publisher's words, for the screen response. Formats that name it set
/// `ListEntry.authority`; for OFAC's, the CSL's and the UN's files (parsed before entries carried it, so their stored
/// entries and content hashes stay as they are) it follows from the source list.
enum ListingAuthority {
    static func of(_ entry: ListEntry) -> String? {
        if let authority = entry.authority { return authority }
        for source in entry.sourceLists {
            // CSL sources end with the agency: "Entity List (EL) - Bureau of Industry and Security".
            if let dash = source.range(of: " - ", options: .backwards) { return String(source[dash.upperBound...]) }
            if source == OFACLists.sdn || source == OFACLists.consolidated { return OFACLists.authority }
            if source.hasPrefix("UN Security Council") { return "United Nations Security Council" }
        }
        return nil
    }
}
