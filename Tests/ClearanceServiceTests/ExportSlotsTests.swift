@testable import ClearanceService
import Testing

/// Exports streaming at once are bounded per key and in all; a slot comes back when its response is done with.
@Suite struct ExportSlotsTests {
    @Test func exportsAreBoundedPerKeyAndInAllAndSlotsComeBack() throws {
        let slots = ExportSlots(perKey: 2, total: 3)
        var held = [try slots.take(for: "key_a"), try slots.take(for: "key_a")]
        #expect(throws: ServiceError.self, "a third export of one key") { try slots.take(for: "key_a") }
        held.append(try slots.take(for: "key_b"))
        #expect(throws: ServiceError.self, "a fourth export in all") { try slots.take(for: "key_c") }
        held.removeFirst()
        #expect(throws: Never.self) { _ = try slots.take(for: "key_c") }
        held.removeAll()
        let again = (0..<2).map { _ in try? slots.take(for: "key_a") }
        #expect(again.allSatisfy { $0 != nil }, "every slot came back")
    }
}
