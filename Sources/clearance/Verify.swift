import ArgumentParser
import ClearanceService
import Foundation
import Store

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Walk the audit trail's hash chain and report the first broken record.")

    @OptionGroup var db: DatabaseOptions

    @Option(help: "First chain position to check.")
    var from: Int?

    @Option(help: "Last chain position to check.")
    var to: Int?

    func run() throws {
        let context = try CLIContext(db)
        let result = try context.audit.verify(from: from, to: to)
        if let broken = result.firstBreak {
            print("BROKEN at record \(broken.seq)\(broken.id.map { " (\($0))" } ?? ""): \(broken.reason)")
            throw ExitCode(2)
        }
        print("OK: \(result.checked) records verified\(result.headHash.map { ", head \($0)" } ?? "")")
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("clearance \(ClearanceVersion.current)")
    }
}
