#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where a webhook may be delivered. By default only public addresses: a webhook URL is admin input, and a URL
/// naming (or resolving to) loopback, a private network, link-local or the cloud metadata address would let it
/// probe or post into the network Clearance runs in. An operator allows those explicitly (tests, an internal
/// receiver) with `--webhook-allow-private-addresses`.
///
/// The check runs on the addresses the host resolves to just before each attempt, so a name that resolved to a
/// public address when registered and to an internal one later is refused then. What it cannot see is a resolver
/// answering differently between this check and the HTTP client's own lookup a moment later (DNS rebinding with
/// a zero TTL); docs/limits-and-defences.md says so.
enum ReceiverAddress {
    /// Why `url` may not be delivered to, or nil when every address its host resolves to is allowed.
    static func refusal(for url: URL, allowPrivate: Bool) -> String? {
        guard let host = url.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else {
            return "the webhook URL has no host"
        }
        if allowPrivate { return nil }
        let addresses = resolve(host)
        if addresses.isEmpty { return "the receiver could not be reached" }
        if let inside = addresses.first(where: { !isPublic($0) }) {
            return "the receiver's host resolves to \(inside), which is not a public address (allow with --webhook-allow-private-addresses)"
        }
        return nil
    }

    /// The numeric addresses `host` resolves to (a literal address resolves to itself).
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }

    /// Whether a numeric address is a public unicast one: not loopback, private (RFC 1918, unique local), shared
    /// (RFC 6598), link-local (the 169.254.169.254 metadata service among them), unspecified, multicast, reserved or
    /// documentation space; an IPv4-mapped IPv6 address is judged as its IPv4 address.
    static func isPublic(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return isPublicIPv4(UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return isPublicIPv4(UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15]))
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
        if bytes[0] & 0xFE == 0xFC { return false }  // fc00::/7, unique local (fd00:ec2::254, a metadata address, among them)
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false }  // fe80::/10, link-local
        if bytes[0] == 0xFF { return false }  // multicast
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return false }  // 2001:db8::/32, documentation
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B { return false }  // 64:ff9b::/96, NAT64
        return true
    }

    private static func isPublicIPv4(_ address: UInt32) -> Bool {
        let blocked: [(base: UInt32, bits: UInt32)] = [
            (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16), (0xAC10_0000, 12),
            (0xC000_0000, 24), (0xC000_0200, 24), (0xC0A8_0000, 16), (0xC612_0000, 15), (0xC633_6400, 24), (0xCB00_7100, 24),
            (0xE000_0000, 4), (0xF000_0000, 4),
        ]
        return !blocked.contains { address >> (32 - $0.bits) == $0.base >> (32 - $0.bits) }
    }
}
