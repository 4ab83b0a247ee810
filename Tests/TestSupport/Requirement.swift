import Foundation

/// Whether a test that needs something of the machine runs: where the machine has it, and always in CI (`CI=true`,
/// as `.ci/run` is run), where a missing requirement fails the test instead of skipping it.
public enum Requirement {
    public static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    public static func met(_ available: @autoclosure () -> Bool) -> Bool { inCI || available() }
}
