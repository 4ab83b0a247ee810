import COpenSSL
import Foundation
import Synchronization

/// Native TLS (1.2 and 1.3) through OpenSSL: a certificate chain and private key read from PEM files, reloadable
/// while the server runs (a renewed certificate takes effect for new connections; open ones keep theirs).
public final class TLSContext: Sendable {
    public let certificatePath: String
    public let privateKeyPath: String
    /// The context new connections are made from; replaced whole on reload.
    private let current: Mutex<ContextBox>

    /// An `SSL_CTX`, freed when the last connection made from it and the context itself let go of it.
    final class ContextBox: @unchecked Sendable {
        let context: OpaquePointer
        init(_ context: OpaquePointer) { self.context = context }
        deinit { SSL_CTX_free(context) }
    }

    public init(certificatePath: String, privateKeyPath: String) throws {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        current = Mutex(try Self.load(certificatePath: certificatePath, privateKeyPath: privateKeyPath))
    }

    /// Reads the files again; on failure the running context stays and the error says why.
    public func reload() throws {
        let fresh = try Self.load(certificatePath: certificatePath, privateKeyPath: privateKeyPath)
        current.withLock { $0 = fresh }
    }

    /// The server side of TLS on an accepted socket.
    func channel(fd: Int32) throws -> TLSChannel {
        let box = current.withLock { $0 }
        guard let ssl = SSL_new(box.context) else { throw TLSError("SSL_new failed: \(Self.lastError())") }
        SSL_set_fd(ssl, fd)
        return TLSChannel(ssl: ssl, context: box)
    }

    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    private static func load(certificatePath: String, privateKeyPath: String) throws -> ContextBox {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSError("SSL_CTX_new failed: \(lastError())") }
        let box = ContextBox(context)
        // TLS 1.2 is the oldest version accepted (RFC 8996 deprecates 1.0 and 1.1); no renegotiation, no compression.
        guard SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil) == 1 else {
            throw TLSError("cannot require TLS 1.2: \(lastError())")
        }
        // SSL_OP_NO_COMPRESSION, SSL_OP_CIPHER_SERVER_PREFERENCE and SSL_OP_NO_RENEGOTIATION (ssl.h's SSL_OP_BIT
        // macros, which Swift cannot import).
        SSL_CTX_set_options(context, (1 << 17) | (1 << 22) | (1 << 30))
        // TLS 1.2 offers only forward-secret AEAD suites (Mozilla's intermediate profile, ECDHE only): no RSA key
        // exchange, no CBC. TLS 1.3's suites are all of that kind already.
        guard SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1 else {
            throw TLSError("cannot set the TLS 1.2 cipher suites: \(lastError())")
        }
        guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
            throw TLSError("cannot read the certificate chain \(certificatePath): \(lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError("cannot read the private key \(privateKeyPath): \(lastError())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError("the private key \(privateKeyPath) does not match the certificate \(certificatePath)")
        }
        return box
    }

    static func lastError() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            messages.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }
}

public struct TLSError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One connection's TLS state. Used by one thread at a time (whoever owns the connection, see `EventLoop`).
final class TLSChannel: @unchecked Sendable {
    let ssl: OpaquePointer
    /// Keeps the context the channel was made from alive across a reload.
    private let context: TLSContext.ContextBox
    private(set) var handshakeDone = false

    init(ssl: OpaquePointer, context: TLSContext.ContextBox) {
        self.ssl = ssl
        self.context = context
    }

    deinit { SSL_free(ssl) }

    /// What a non-blocking TLS call asks for next.
    enum Step {
        case done(Int)
        case wantRead
        case wantWrite
        case closed
        case failed(String)
    }

    private func step(_ result: Int32) -> Step {
        if result > 0 { return .done(Int(result)) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL where errno == 0 || errno == EAGAIN: return result == 0 ? .closed : .wantRead
        default:
            ERR_clear_error()
            return .failed("TLS error \(SSL_get_error(ssl, result))")
        }
    }

    func accept() -> Step {
        let result = step(SSL_accept(ssl))
        if case .done = result { handshakeDone = true }
        return result
    }

    func read(into pointer: UnsafeMutableRawPointer, count: Int) -> Step {
        step(SSL_read(ssl, pointer, Int32(clamping: count)))
    }

    func write(_ pointer: UnsafeRawPointer, count: Int) -> Step {
        step(SSL_write(ssl, pointer, Int32(clamping: count)))
    }

    /// Decrypted bytes OpenSSL holds that the socket will not signal again.
    var pending: Int { Int(SSL_pending(ssl)) }

    /// Sends close_notify, once; the peer may not answer it.
    func shutdown() {
        guard handshakeDone else { return }
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}
