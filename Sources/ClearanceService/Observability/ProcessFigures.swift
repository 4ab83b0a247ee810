#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The process's own figures for `/metrics`, read from `/proc` when scraped, under the names Prometheus clients use:
/// resident memory, open descriptors, CPU time and start time. A figure `/proc` does not give is left out.
enum ProcessFigures {
    static func render() -> String {
        var text = ""
        func add(_ name: String, _ type: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value.rounded() == value ? String(Int64(value)) : String(value))\n"
        }
        let stat = statFields()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        add("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.",
            stat.flatMap { fields in Double(fields[11]).flatMap { user in Double(fields[12]).map { (user + $0) / ticks } } })
        add("process_open_fds", "gauge", "Open file descriptors.",
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) })
        add("process_resident_memory_bytes", "gauge", "Resident memory in bytes.", residentBytes())
        add("process_start_time_seconds", "gauge", "When the process started, in seconds since the Unix epoch.",
            stat.flatMap { fields in Double(fields[19]).flatMap { start in bootTime().map { $0 + start / ticks } } })
        return text
    }

    /// `/proc/self/stat` after the command name (which may hold spaces), so field 3 of the man page is index 0.
    private static func statFields() -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? fields : nil
    }

    private static func residentBytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kilobytes * 1024
    }

    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }) else { return nil }
        return line.split(separator: " ").last.flatMap { Double($0) }
    }
}
