import Synchronization

/// The bytes every ZIP archive being unpacked at once may take together. Each archive has limits of its own
/// (`ListUploadFiles`), but six uploads unpacking to their limits at once would take six times as much: past this
/// budget an upload is a 503 to retry, not a server out of memory.
public final class DecompressionBudget: Sendable {
    /// One list publisher's largest archive fits, with room for a second upload beside it.
    public static let shared = DecompressionBudget(limit: 768 * 1024 * 1024)

    public let limit: Int
    private let used = Atomic<Int>(0)

    public init(limit: Int) { self.limit = limit }

    /// Takes `bytes` from the budget; false, taking nothing, when that would pass the limit.
    func reserve(_ bytes: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while current + bytes <= limit {
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release(_ bytes: Int) { used.subtract(bytes, ordering: .relaxed) }

    var inUse: Int { used.load(ordering: .relaxed) }
}
