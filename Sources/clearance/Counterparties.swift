import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `clearance counterparties import`: sends a supplier master to a running server's `POST /counterparties/import`
/// (so its index, lists and audit trail are the ones used), shows progress as rows are screened, prints each refused
/// row, and exits 1 when any row failed.
struct Counterparties: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Monitored counterparties.", subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a supplier master (CSV with a header, or NDJSON) into a running server; each row is screened and recorded.")

        @Option(help: "The server (env CLEARANCE_URL).")
        var url: String?

        @Option(help: "An API key with the screen role (env CLEARANCE_API_KEY).")
        var key: String?

        @Argument(help: "The file: .csv is sent as CSV, anything else as NDJSON.")
        var file: String

        func run() throws {
            var base = "http://127.0.0.1:8080"
            try Environment.apply(url, "CLEARANCE_URL", to: &base)
            var apiKey: String?
            try Environment.apply(key, "CLEARANCE_API_KEY", to: &apiKey)
            guard let apiKey else { throw ValidationError("--key or CLEARANCE_API_KEY is required") }
            guard let address = URL(string: base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/counterparties/import") else {
                throw ValidationError("invalid URL \(base)")
            }
            guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
            var request = URLRequest(url: address)
            request.httpMethod = "POST"
            request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
            request.setValue(file.lowercased().hasSuffix(".csv") ? "text/csv" : "application/x-ndjson", forHTTPHeaderField: "Content-Type")
            let progress = ImportProgress()
            let configuration = URLSessionConfiguration.ephemeral
            // The answer streams as rows are screened: the wait that matters is between lines, not for the whole.
            configuration.timeoutIntervalForRequest = 300
            configuration.timeoutIntervalForResource = 24 * 3600
            let http = URLSession(configuration: configuration, delegate: progress, delegateQueue: nil)
            http.uploadTask(with: request, fromFile: URL(fileURLWithPath: file)).resume()
            let outcome = progress.wait()
            guard outcome.status == 200 else {
                throw ImportFailed(description: "the server answered \(outcome.status): \(outcome.body)")
            }
            print(outcome.summary ?? "the answer ended without a summary")
            if outcome.failedRows > 0 || outcome.summary == nil { throw ExitCode.failure }
        }
    }

    struct ImportFailed: Error, CustomStringConvertible {
        let description: String
    }
}

/// Reads the import's NDJSON answer as it streams: a progress line on stderr every 1,000 rows, each refused row as
/// it comes, the summary at the end.
private final class ImportProgress: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Outcome {
        var status = 0
        var body = ""
        var summary: String?
        var failedRows = 0
    }

    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var outcome = Outcome()
    private var pending = Data()
    private var rows = 0

    func wait() -> Outcome {
        finished.wait()
        return lock.withLock { outcome }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { outcome.status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            guard outcome.status == 200 else { return outcome.body += String(decoding: data, as: UTF8.self) }
            pending.append(data)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                take(line)
            }
        }
    }

    private func take(_ line: String) {
        if line.hasPrefix("{\"summary\"") {
            outcome.summary = line
        } else if line.contains("\"error\"") {
            outcome.failedRows += 1
            FileHandle.standardError.write(Data("refused: \(line)\n".utf8))
        }
        rows += 1
        if rows % 1000 == 0 { FileHandle.standardError.write(Data("\(rows) rows done\n".utf8)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock {
            if let error, outcome.status == 0 { outcome.body = "\(error.localizedDescription)" }
        }
        finished.signal()
    }
}
