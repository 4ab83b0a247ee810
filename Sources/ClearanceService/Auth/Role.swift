/// What a key may do. A key may hold several roles.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Procurement systems: `POST /screen`.
    case screen
    /// Compliance admins: lists, policy, keys.
    case admin
    /// Auditors: decision history, exports, verification.
    case audit
    /// Reviewers: dispositions of potential matches.
    case review
}
