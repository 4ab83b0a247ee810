@testable import ClearanceService
import Foundation
import Testing
import ZIPFoundation

/// Archives unpacked at once share one budget: past it an upload is refused (503, to retry), whatever its own limits.
@Suite struct DecompressionBudgetTests {
    static func archive(_ bytes: Int) throws -> Data {
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "sdn.csv", type: .file, uncompressedSize: Int64(bytes), compressionMethod: .deflate) { position, size in
            Data(repeating: UInt8(ascii: "a"), count: size)
        }
        return try #require(archive.data)
    }

    @Test func concurrentUnpackingSharesOneBudget() throws {
        let budget = DecompressionBudget(limit: 3_000_000)
        let zip = try Self.archive(2_000_000)
        #expect(try ListUploadFiles.unzip(zip, name: "a.zip", budget: budget).first?.data.count == 2_000_000)
        #expect(budget.inUse == 0, "an unpacked archive gives its share back")
        // Another upload holding most of the budget: this one does not fit beside it.
        #expect(budget.reserve(2_000_000))
        #expect(throws: ServiceError.self) { try ListUploadFiles.unzip(zip, name: "b.zip", budget: budget) }
        #expect(budget.inUse == 2_000_000, "a refused archive gives back what it had taken")
        budget.release(2_000_000)
        #expect(try ListUploadFiles.unzip(zip, name: "c.zip", budget: budget).count == 1)
    }
}
