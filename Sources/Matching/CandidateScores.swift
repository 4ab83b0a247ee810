import Synchronization

/// A score for every indexed name, for the candidate step of one query name, and the names it touched. Allocating and
/// zeroing an array as long as the index for every query name cost more than the postings that fill it (above
/// 128 KB each allocation is a fresh mapping whose pages fault in), so the arrays are reused: a query clears only the
/// names it touched.
struct CandidateScores: Sendable {
    var scores: [Float]
    var touched: [Int32] = []

    init(names: Int) { scores = Array(repeating: 0, count: names) }

    /// Zeroes the names touched, so the next query name starts from nothing.
    mutating func clear() {
        for name in touched { scores[Int(name)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }
}

/// The score arrays not in use: as many as queries have run at once on one index.
final class CandidateScoresPool: Sendable {
    private let free = Mutex<[CandidateScores]>([])
    private let names: Int

    init(names: Int) { self.names = names }

    /// Runs `body` with cleared scores of its own; whatever it leaves is cleared before the next one gets them.
    func with<Result>(_ body: (inout CandidateScores) -> Result) -> Result {
        var scores = free.withLock { $0.popLast() } ?? CandidateScores(names: names)
        defer {
            scores.clear()
            free.withLock { [scores] in $0.append(scores) }
        }
        return body(&scores)
    }
}
