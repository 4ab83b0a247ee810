/// Every limit and timeout of the server, each on by default.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free ephemeral port (tests).
    public var port: Int = 8080
    public var backlog: Int32 = 1024
    /// Longest request line (method, target, version); longer gets 431.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Longest request head (request line plus header fields); longer gets 431.
    public var maxHeaderBytes: Int = 32 * 1024
    public var maxHeaderCount: Int = 100
    /// Body limit for routes that set none; larger gets 413.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Open connections beyond this get 503 with `Retry-After`.
    public var maxConnections: Int = 10_000
    /// Open connections from one client address beyond this get 503 with `Retry-After`, so no one peer can take
    /// every connection; 0 turns the limit off (behind a proxy every client shares the proxy's address).
    public var maxConnectionsPerAddress: Int = 1_000
    public var retryAfterSeconds: Int = 1
    /// Time allowed from a request's first byte to the end of its head (slowloris protection); 408 after.
    public var headerReadTimeout: Double = 10
    /// Time allowed to read a request body, on top of what its size needs at `minBodyBytesPerSecond`; 408 after.
    /// A body of N bytes gets `bodyReadTimeout + N / minBodyBytesPerSecond` seconds, so a large upload over a slow
    /// link still arrives while a client trickling a small body cannot hold a worker for long.
    public var bodyReadTimeout: Double = 10
    /// The slowest transfer rate a body may arrive at (see `bodyReadTimeout`).
    public var minBodyBytesPerSecond: Double = 32 * 1024
    /// Where bodies of spooling routes are written while they arrive; the system's temporary folder when nil. The
    /// server empties it of its own leftovers (a crash mid-upload) when it starts.
    public var spoolDirectory: String?
    /// Serve HTTPS with this certificate and key (TLS 1.2 and 1.3); plain HTTP when nil.
    public var tls: TLSContext?
    /// Header fields added to every response (a server running in a mode its clients must know of says so).
    public var responseHeaders: [(name: String, value: String)] = []
    /// How long a kept-alive connection may sit idle between requests before it is closed.
    public var idleTimeout: Double = 75
    /// A peer that reads no response bytes for this long is dropped.
    public var writeTimeout: Double = 30
    /// On shutdown, how long in-flight requests get to finish.
    public var shutdownGracePeriod: Double = 10
    /// Requests served on one connection before it is closed (bounds per-connection state).
    public var maxRequestsPerConnection: Int = 100_000
    /// Event loop threads; nil means one per core.
    public var eventLoopCount: Int?
    /// Most worker threads for handlers that may block or compute at length.
    public var maxWorkerThreads: Int = 512
    /// Niceness added to worker threads (0 to 19; raising it needs no privilege). A positive value lets the event
    /// loops and the application's own short, latency-critical threads preempt handlers doing bulk work.
    public var workerNiceness: Int32 = 0
    /// Stack size of each worker thread.
    public var threadStackSize: Int = 512 * 1024

    public init() {}
}
