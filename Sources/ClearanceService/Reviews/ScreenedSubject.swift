import Foundation
import Matching
import OpenSSLCrypto

/// Who a decision screened, as false-positive memory recognises them: by the counterparty id when the caller gave
/// one, otherwise by the normalised name; and a hash of what identifies them, so a new name, alias, type, country,
/// address, date of birth or identifier makes them a changed subject whose matches come back: a reviewer's "someone
/// else" holds only for the evidence the reviewer saw. The caller's reference and result limit are not part of it.
struct ScreenedSubject: Equatable {
    let key: String
    let hash: String

    init(_ request: ScreenRequest) {
        let name = Self.normalised(request.name)
        key = request.counterpartyId.map { "counterparty:\($0)" } ?? "name:\(name)"
        let identity: [String] = [
            "name=" + name,
            "aliases=" + (request.aliases ?? []).map(Self.normalised).sorted().joined(separator: "|"),
            "type=" + (request.type ?? ""),
            "country=" + (request.country?.uppercased() ?? ""),
            "dateOfBirth=" + (request.dateOfBirth ?? ""),
            "identifiers=" + (request.identifiers ?? []).map { IdentifierValue.normalize($0.value) }.sorted().joined(separator: "|"),
        ]
        // Only when given, so the subjects of dispositions recorded before addresses counted keep their hash.
        let address = request.address.map { ["address=" + Self.normalised($0)] } ?? []
        hash = SHA256.hex((identity + address).joined(separator: "\n"))
    }

    /// The name as matching reads it, so `ACME Trading Co.` and `acme trading co` are one subject.
    private static func normalised(_ name: String) -> String {
        Normalizer.tokens(name).map(\.text).joined(separator: " ")
    }
}
