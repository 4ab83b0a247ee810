import Synchronization

/// Bounds the exports streaming at once: `perKey` for one API key and `total` for all. An export is as slow as its
/// reader, and a reader can be as slow as it likes, so without a bound a few clients reading exports a byte at a
/// time would hold workers and database reads that screens need. Past a bound the export is a 429.
final class ExportSlots: Sendable {
    private struct State {
        var total = 0
        var byKey: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let perKey: Int
    private let total: Int

    init(perKey: Int = 2, total: Int = 8) {
        self.perKey = perKey
        self.total = total
    }

    /// A slot for `keyID`, given back when the slot is released: when the streamed response holding it is done with
    /// (sent, failed, or never started), since the response owns it.
    final class Slot: Sendable {
        private let release: @Sendable () -> Void
        init(release: @escaping @Sendable () -> Void) { self.release = release }
        deinit { release() }
    }

    func take(for keyID: String) throws -> Slot {
        try state.withLock { state in
            guard state.total < total else {
                throw ServiceError.tooManyRequests("\(total) exports are streaming; retry when one has finished", retryAfterSeconds: 5)
            }
            guard state.byKey[keyID, default: 0] < perKey else {
                throw ServiceError.tooManyRequests("this key already streams \(perKey) exports; retry when one has finished", retryAfterSeconds: 5)
            }
            state.total += 1
            state.byKey[keyID, default: 0] += 1
        }
        return Slot { [self] in
            state.withLock { state in
                state.total -= 1
                let left = state.byKey[keyID, default: 1] - 1
                state.byKey[keyID] = left > 0 ? left : nil
            }
        }
    }
}
