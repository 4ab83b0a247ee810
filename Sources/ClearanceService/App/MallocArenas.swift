import CPosix
import Foundation

/// glibc gives threads malloc arenas of their own, up to eight per core. Under a sustained mixed load (64
/// connections, worker threads coming and going, an index rebuilt every 20 s) each arena grew to its own high-water
/// mark: the soak's resident memory rose by about 7 MB a minute for 30 minutes (231 to 444 MB). With at most two
/// arenas on this 2-core machine it stayed flat (215-230 MB over 12 minutes, `MALLOC_ARENA_MAX=2 soak.sh 720`). The
/// price is malloc contention: the soak's mix ran at 568 and 577 requests a second with two arenas against 602 and
/// 647 with sixteen (glibc's default here; alternating 2-minute runs on copies of one database), about 8% less.
/// Bounded memory is worth that for a service that runs for months; `MALLOC_ARENA_MAX` chooses otherwise.
public enum MallocArenas {
    /// At most one arena per core (two at least), before the server starts its threads; an explicit
    /// `MALLOC_ARENA_MAX` in the environment is left to glibc.
    public static func limitToCores() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = clr_malloc_arena_max(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }
}
