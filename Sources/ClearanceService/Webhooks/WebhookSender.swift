import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Store
import Synchronization

/// Delivers the outbox: at least once, each alert to each webhook, from its own thread so a slow or dead receiver
/// never touches screening. A delivery is claimed with a lease (so it is not sent twice at once, and one whose
/// sender died is retried when the lease ends), POSTed, and its attempt recorded: a 2xx answer delivers it;
/// anything else (another status, no answer, a timeout, a refused address) schedules a retry with exponential
/// backoff and jitter, until the delivery's give-up time, when it is marked failed. Redirects are not followed.
///
/// An attempt is bounded whole: it ends `timeout` seconds after it started whatever the receiver does, and the
/// response body is never read (the status line decides), so a receiver that trickles or streams an endless body
/// costs neither memory nor more than its deadline. Attempts run `concurrency` at once, so slow receivers delay a
/// healthy one by at most a deadline, not by their number.
final class WebhookSender: Sendable {
    struct Settings: Sendable {
        /// Seconds an attempt may take, connection and answer together (at least 1: URLSession on Linux fails every
        /// request given less).
        var timeout: Double
        /// The first retry's delay; each further one doubles, up to `maxDelay`, and is then scaled by a random
        /// factor from 0.5 to 1 (so receivers that come back are not hit by every sender at once).
        var retryBase: Double
        var maxDelay: Double
        /// Attempts in flight at once.
        var concurrency: Int
        /// Deliver to loopback, private and link-local addresses too (see `ReceiverAddress`).
        var allowPrivateAddresses: Bool
    }

    private let store: any WebhookStore
    private let settings: Settings
    private let metrics: Metrics
    private let logger: Logger
    private let http: URLSession
    private let attempts: AttemptTable
    private let wakeCondition = NSCondition()
    private let woken = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(store: any WebhookStore, settings: Settings, metrics: Metrics, logger: Logger) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeout
        configuration.timeoutIntervalForResource = settings.timeout
        configuration.httpMaximumConnectionsPerHost = max(1, settings.concurrency)
        let attempts = AttemptTable()
        self.attempts = attempts
        http = URLSession(configuration: configuration, delegate: attempts, delegateQueue: nil)
    }

    func start() {
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "webhook-sender"
        thread.start()
    }

    /// Stops claiming deliveries; attempts in flight finish or time out on their own (their lease covers them).
    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake()
        _ = finished.wait(timeout: .now() + 2)
    }

    /// Looks for due deliveries now (new alerts) instead of at the next poll.
    func wake() {
        wakeCondition.lock()
        woken.store(true, ordering: .relaxed)
        wakeCondition.signal()
        wakeCondition.unlock()
    }

    private func loop() {
        while !stopped.load(ordering: .relaxed) {
            let free = settings.concurrency - inFlight.load(ordering: .relaxed)
            var claimed = 0
            if free > 0 {
                do {
                    let due = try store.claimDue(now: Date().timeIntervalSince1970, lease: settings.timeout + 5, limit: free)
                    claimed = due.count
                    for delivery in due { send(delivery) }
                } catch {
                    logger.error("the webhook outbox could not be read", metadata: ["error": "\(error)"])
                }
            }
            // With a full batch claimed there may be more due: look again at once (attempts in flight permitting).
            if claimed == free && claimed > 0 { continue }
            wakeCondition.lock()
            if !woken.exchange(false, ordering: .relaxed) { _ = wakeCondition.wait(until: Date().addingTimeInterval(free > 0 ? 1 : 0.05)) }
            woken.store(false, ordering: .relaxed)
            wakeCondition.unlock()
        }
    }

    private func send(_ due: DueDelivery) {
        let started = Date()
        guard let url = URL(string: due.url) else {
            return finish(due, started: started, status: nil, error: "the webhook URL cannot be parsed")
        }
        if let refusal = ReceiverAddress.refusal(for: url, allowPrivate: settings.allowPrivateAddresses) {
            return finish(due, started: started, status: nil, error: refusal)
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = settings.timeout
        request.httpBody = Data(due.payload.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("clearance-webhooks/1", forHTTPHeaderField: "User-Agent")
        request.setValue(due.delivery.id, forHTTPHeaderField: "X-Clearance-Delivery")
        request.setValue(due.delivery.event, forHTTPHeaderField: "X-Clearance-Event")
        request.setValue(WebhookSignature.sign(body: due.payload, deliveryID: due.delivery.id, secret: due.secret, at: Int(started.timeIntervalSince1970)),
                         forHTTPHeaderField: WebhookSignature.header)
        inFlight.add(1, ordering: .relaxed)
        let task = http.dataTask(with: request)
        let attempt = attempts.begin(task) { [self] status in
            // No status: no HTTP answer within the deadline. Refused, reset, TLS failure and silence read alike,
            // so delivery errors say nothing about which ports of a host are open.
            let failure: String?
            if let status {
                failure = (200..<300).contains(status) ? nil : "the receiver answered \(status)"
            } else {
                failure = "no HTTP answer from the receiver within \(settings.timeout) s"
            }
            finish(due, started: started, status: status, error: failure)
            inFlight.subtract(1, ordering: .relaxed)
            wake()
        }
        // The whole attempt's deadline, whatever the receiver sends (URLSession's own timeouts reset on every byte).
        DispatchQueue.global().asyncAfter(deadline: .now() + settings.timeout) { attempt.end(status: Int?.none) }
        task.resume()
    }

    private func finish(_ due: DueDelivery, started: Date, status: Int?, error: String?) {
        let attemptNumber = due.delivery.attempts + 1
        let now = Date()
        let attempt = DeliveryAttempt(attempt: attemptNumber, startedAt: Timestamp.format(started),
                                      durationMs: (now.timeIntervalSince(started) * 1_000_000).rounded() / 1000, status: status, error: error)
        let next: DeliveryNext
        if error == nil {
            next = .delivered(at: Timestamp.format(now))
        } else {
            let retryAt = now.timeIntervalSince1970 + delay(afterAttempt: attemptNumber)
            next = retryAt > due.delivery.giveUpAt ? .failed(at: Timestamp.format(now)) : .retry(at: retryAt)
        }
        let outcome = switch next {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        }
        metrics.increment("clearance_webhook_attempts_total", ["outcome", outcome])
        do {
            try store.record(attempt, deliverySeq: due.delivery.seq, next: next)
        } catch {
            // The lease runs out and the delivery is sent again: at least once.
            logger.error("a webhook attempt could not be recorded", metadata: ["delivery": .string(due.delivery.id), "error": "\(error)"])
        }
        if case .failed = next {
            logger.warning("webhook delivery given up", metadata: ["delivery": .string(due.delivery.id), "webhook": .string(due.delivery.webhookID),
                                                                   "attempts": .stringConvertible(attemptNumber), "error": .string(error ?? "")])
        }
    }

    /// Exponential backoff with jitter: base × 2^(attempt−1), capped, times a random factor from 0.5 to 1.
    func delay(afterAttempt attempt: Int) -> Double {
        let exponential = settings.retryBase * pow(2, Double(min(attempt - 1, 30)))
        return min(settings.maxDelay, exponential) * Double.random(in: 0.5...1)
    }

}

/// The attempts in flight, by task: each ends once, with the status the receiver answered (its body is cancelled
/// unread) or with none (an error, or its deadline).
private final class AttemptTable: NSObject, URLSessionDataDelegate, Sendable {
    final class Attempt: Sendable {
        private let task: URLSessionTask
        private let done: @Sendable (Int?) -> Void
        private let ended = Atomic<Bool>(false)

        init(task: URLSessionTask, done: @escaping @Sendable (Int?) -> Void) {
            self.task = task
            self.done = done
        }

        /// The first call ends the attempt; later ones (the deadline after an answer, a cancelled task's completion)
        /// do nothing.
        func end(status: Int?) {
            guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
            task.cancel()
            done(status)
        }
    }

    private let attempts = Mutex<[Int: Attempt]>([:])

    func begin(_ task: URLSessionTask, done: @escaping @Sendable (Int?) -> Void) -> Attempt {
        let identifier = task.taskIdentifier
        let attempt = Attempt(task: task) { [weak self] status in
            self?.forget(identifier)
            done(status)
        }
        attempts.withLock { $0[identifier] = attempt }
        return attempt
    }

    private func forget(_ identifier: Int) { _ = attempts.withLock { $0.removeValue(forKey: identifier) } }

    private func attempt(_ task: URLSessionTask) -> Attempt? { attempts.withLock { $0[task.taskIdentifier] } }

    /// The status line decides: the body is not read.
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        completionHandler(.cancel)
        attempt(dataTask)?.end(status: (response as? HTTPURLResponse)?.statusCode)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        attempt(task)?.end(status: nil)
    }

    /// Refuses redirects: a receiver that moved is re-registered by an admin, not followed with a signed alert.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
        attempt(task)?.end(status: response.statusCode)
    }
}
