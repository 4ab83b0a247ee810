import ArgumentParser
import ClearanceService
import Foundation
import OpenSSLCrypto
import Store

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Walk the audit trail's hash chain and check its signed checkpoints against keys held outside the database.",
        discussion: """
            Every checkpoint stored in the database must be signed by a trusted key and still name its record's hash. \
            The trusted keys are those given with --public-key and --trusted-keys; with neither, the public half of the \
            signing key (--checkpoint-key, beside the database by default) and the checkpoint-trusted-keys file beside \
            it. An auditor verifies offline with the public keys they hold: the database cannot vouch for itself.
            """)

    @OptionGroup var db: DatabaseOptions

    @Option(help: "First chain position to check.")
    var from: Int?

    @Option(help: "Last chain position to check.")
    var to: Int?

    @Option(name: .customLong("public-key"), help: "A trusted Ed25519 public key, 64 hex digits; repeat for several.")
    var publicKeys: [String] = []

    @Option(help: "A file of trusted public keys, one a line (# comments).")
    var trustedKeys: String?

    @Option(help: "The checkpoint signing key's seed file, whose public half is trusted (env CLEARANCE_CHECKPOINT_KEY).")
    var checkpointKey: String?

    @Option(name: .customLong("checkpoint"), help: "A checkpoint kept outside the database (JSON, one object or an array, as GET /audit/checkpoints gives them) to verify against the chain; repeat for several files.")
    var keptCheckpoints: [String] = []

    func run() throws {
        let context = try CLIContext(db)
        var failed = false
        let result = try context.audit.verify(from: from, to: to)
        if let broken = result.firstBreak {
            print("BROKEN at record \(broken.seq)\(broken.id.map { " (\($0))" } ?? ""): \(broken.reason)")
            failed = true
        } else {
            print("OK: \(result.checked) records verified\(result.headHash.map { ", head \($0)" } ?? "")")
        }
        let verifier = CheckpointVerifier(store: SQLCheckpointStore(database: context.database), audit: context.audit.store, trust: try trust())
        print("trusted checkpoint keys: \(verifier.trust.summary)")
        let stored = try verifier.verifyStored()
        if let failure = stored.firstFailure {
            print("CHECKPOINT \(failure.id) (record \(failure.seq)) FAILS: \(failure.detail)")
            failed = true
        } else if stored.checked > 0 {
            print("OK: \(stored.checked) stored checkpoints verify, vouching up to record \(stored.vouchedUpTo ?? 0)")
        } else {
            print("no stored checkpoints")
        }
        for file in keptCheckpoints {
            for checkpoint in try Self.readCheckpoints(file) {
                let verification = try verifier.verify(checkpoint)
                print("\(verification.valid ? "OK" : "FAILS"): kept checkpoint of record \(checkpoint.seq) (\(file)): \(verification.detail)")
                failed = failed || !verification.valid
            }
        }
        if failed { throw ExitCode(2) }
    }

    /// The keys given, else the signing key's public half and the trusted-keys file beside it.
    private func trust() throws -> CheckpointTrust {
        var previous = publicKeys.map { $0.lowercased() }
        for key in previous where Hex.decode(key)?.count != 32 {
            throw ValidationError("--public-key \(key) is not a hex Ed25519 public key (64 hex digits)")
        }
        if let trustedKeys { previous += try CheckpointTrust.readKeys(URL(fileURLWithPath: trustedKeys)) }
        if !previous.isEmpty { return CheckpointTrust(current: nil, previous: previous) }
        var path = ClearanceApp.defaultKeyPath(try db.path())
        try Environment.apply(checkpointKey, "CLEARANCE_CHECKPOINT_KEY", to: &path)
        let keyFile = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no trusted checkpoint key: give --public-key or --trusted-keys (the signing key \(path) is not here)")
        }
        let current = Hex.encode(try Checkpoints.loadOrCreate(keyFile).publicKey)
        let beside = try ClearanceApp.trustedKeysFile(nil, besides: keyFile).map(CheckpointTrust.readKeys) ?? []
        return CheckpointTrust(current: current, previous: beside)
    }

    /// One checkpoint, an array of them, or `{"checkpoints": [...]}` as `GET /audit/checkpoints` answers.
    static func readCheckpoints(_ path: String) throws -> [CheckpointRecord] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        struct Listing: Decodable { var checkpoints: [CheckpointRecord] }
        if let one = try? JSONDecoder().decode(CheckpointRecord.self, from: data) { return [one] }
        if let many = try? JSONDecoder().decode([CheckpointRecord].self, from: data) { return many }
        do {
            return try JSONDecoder().decode(Listing.self, from: data).checkpoints
        } catch {
            throw ValidationError("\(path) holds no checkpoint (an object with id, seq, headHash, createdAt, publicKey and signature): \(error)")
        }
    }
}

/// Prints the public half of the checkpoint signing key: what auditors keep, and what goes into a trusted-keys file
/// when the key is rotated out.
struct CheckpointPublicKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint-public-key",
                                                    abstract: "Print the checkpoint signing key's public half (hex) and its fingerprint.")

    @Option(help: "The signing key's seed file (env CLEARANCE_CHECKPOINT_KEY); beside the database by default.")
    var checkpointKey: String?

    @OptionGroup var db: DatabaseOptions

    func run() throws {
        var path = ClearanceApp.defaultKeyPath(try db.path())
        try Environment.apply(checkpointKey, "CLEARANCE_CHECKPOINT_KEY", to: &path)
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no signing key at \(path)") }
        let key = CheckpointTrust.Key(publicKey: Hex.encode(try Checkpoints.loadOrCreate(URL(fileURLWithPath: path)).publicKey), status: "current")
        print("\(key.publicKey)  # fingerprint \(key.fingerprint)")
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("clearance \(ClearanceVersion.current)")
    }
}
