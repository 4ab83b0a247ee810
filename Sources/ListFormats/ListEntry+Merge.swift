/// One party a file gives as several records under one id (the EU's Financial Sanctions Files list a person once per
/// programme under one `logicalId`): the records are one entry holding everything each says.
extension ListEntry {
    /// This entry with what `other` adds: its name as an alias when it differs, and every alias, programme, source
    /// list, address, country, date of birth, identifier, reference and relation not already held. The first
    /// record's type, title, authority and listing date stand, except where it has none; remarks are kept both.
    public func merged(with other: ListEntry) -> ListEntry {
        var merged = self
        func add<T: Equatable>(_ values: [T], to field: inout [T]) {
            for value in values where !field.contains(value) { field.append(value) }
        }
        let names = Set([name] + aliases.map(\.name))
        add(([Alias(name: other.name, kind: .aka)] + other.aliases).filter { !names.contains($0.name) }, to: &merged.aliases)
        add(other.programs, to: &merged.programs)
        add(other.sourceLists, to: &merged.sourceLists)
        add(other.addresses, to: &merged.addresses)
        add(other.countries, to: &merged.countries)
        add(other.datesOfBirth, to: &merged.datesOfBirth)
        add(other.identifiers, to: &merged.identifiers)
        add(other.references, to: &merged.references)
        if let relations = other.relations {
            var held = merged.relations ?? []
            add(relations, to: &held)
            merged.relations = held
        }
        if merged.type == .unknown { merged.type = other.type }
        merged.title = merged.title ?? other.title
        merged.authority = merged.authority ?? other.authority
        merged.listedOn = [merged.listedOn, other.listedOn].compactMap { $0 }.min()
        if let remarks = other.remarks, merged.remarks?.contains(remarks) != true {
            merged.remarks = [merged.remarks, remarks].compactMap { $0 }.joined(separator: "\n")
        }
        return merged
    }
}
