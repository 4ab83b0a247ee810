import ListFormats

/// Who listed an entry, in the publisher's words, for the screen response. Formats that name it set
/// `ListEntry.authority`; for OFAC's, the CSL's and the UN's files (parsed before entries carried it, so their stored
/// entries and content hashes stay as they are) it follows from the source list.
enum ListingAuthority {
    static func of(_ entry: ListEntry) -> String? {
        if let authority = entry.authority { return authority }
        for source in entry.sourceLists {
            // CSL sources end with the agency: "Entity List (EL) - Bureau of Industry and Security".
            if let agency = agency(in: source) { return agency }
            if source == OFACLists.sdn || source == OFACLists.consolidated { return OFACLists.authority }
            if source.hasPrefix("UN Security Council") { return "United Nations Security Council" }
        }
        return nil
    }

    /// What follows the last " - " of a CSL source, found byte by byte: Foundation's backward search was a fiftieth of
    /// a screening's instructions.
    private static func agency(in source: String) -> String? {
        let bytes = source.utf8
        var end = bytes.endIndex
        while let dash = bytes[..<end].lastIndex(of: UInt8(ascii: "-")) {
            let after = bytes.index(after: dash)
            if dash > bytes.startIndex, after < bytes.endIndex, bytes[bytes.index(before: dash)] == 0x20, bytes[after] == 0x20 {
                return String(source[bytes.index(after: after)...])
            }
            end = dash
        }
        return nil
    }
}
