@testable import ClearanceService
import Testing

/// Policy rules compare list names and programs whatever their case, as Foundation's case-insensitive search did.
@Suite struct CaseInsensitiveTests {
    @Test func asciiIsFoldedAndOtherTextFallsBackToFoundation() {
        #expect(CaseInsensitive.contains("Entity List (EL) - Bureau of Industry and Security", "entity list"))
        #expect(CaseInsensitive.contains("Non-SDN Chinese Military-Industrial Complex Companies List", "NS-CMIC") == false)
        #expect(CaseInsensitive.contains("abc", ""))
        #expect(!CaseInsensitive.contains("ab", "abc"))
        #expect(CaseInsensitive.equal("SDGT", "sdgt"))
        #expect(!CaseInsensitive.equal("SDGT", "SDGTX"))
        #expect(CaseInsensitive.contains("Liste de l'Union Européenne", "UNION EUROPÉENNE"))
        #expect(CaseInsensitive.equal("ÉTAT", "état"))
    }
}
