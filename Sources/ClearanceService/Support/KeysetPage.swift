/// One page of a keyset-paginated read: one row more than the page is read, and only says whether another page
/// follows (so the last page never ends with an empty one).
struct KeysetPage<Row> {
    let rows: [Row]
    let hasMore: Bool

    /// `read` gets how many rows to read (`limit + 1`).
    init(limit: Int, _ read: (Int) throws -> [Row]) rethrows {
        let found = try read(limit + 1)
        rows = Array(found.prefix(limit))
        hasMore = found.count > limit
    }

    /// The next page's cursor: `key` of the last row, when another page follows.
    func next<Key>(_ key: (Row) -> Key) -> Key? { hasMore ? rows.last.map(key) : nil }
}
