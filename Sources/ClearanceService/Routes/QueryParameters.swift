import HTTPServer
import Store

/// Typed query parameters, each refused with a 422 naming the parameter and what it accepts.
extension HTTPRequest {
    /// The integer parameter `name`, `value` when absent.
    func intQuery(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = queryValue(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ServiceError.invalidParameter(name, reason: "an integer from \(range.lowerBound) to \(range.upperBound == Int.max ? "any" : String(range.upperBound))")
        }
        return number
    }

    /// The integer parameter `name`, nil when absent.
    func optionalIntQuery(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        queryValue(name) == nil ? nil : try intQuery(name, default: range.lowerBound, range: range)
    }

    /// The Boolean parameter `name` (true, false, 1, 0, yes, no), `value` when absent.
    func boolQuery(_ name: String, default value: Bool) throws -> Bool {
        switch queryValue(name)?.lowercased() {
        case nil: return value
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ServiceError.invalidParameter(name, reason: "true or false")
        }
    }

    /// The date-time parameter `name` (ISO 8601), normalised as the service writes times; nil when absent.
    func timestampQuery(_ name: String) throws -> String? {
        guard let text = queryValue(name) else { return nil }
        guard let date = Timestamp.parse(text) else { throw ServiceError.invalidParameter(name, reason: "an ISO 8601 date-time, e.g. 2026-11-27T00:00:00Z") }
        return Timestamp.format(date)
    }
}
