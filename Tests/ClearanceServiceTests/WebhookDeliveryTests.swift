@testable import ClearanceService
import Foundation
import Testing
import TestSupport

/// The webhook outbox against real receivers on loopback: retries, timeouts, giving up, restarts.
@Suite(.serialized)
struct WebhookDeliveryTests {
    /// A service on v1 of the fixture list with webhooks to `receivers` and counterparty `cp-new` (clear on v1,
    /// blocked by v2), and the key that screened it.
    static func service(_ receivers: [String], directory: URL? = nil,
                        configure: @escaping (inout ServiceConfiguration) -> Void = { _ in }) throws -> (ServiceHarness, [String]) {
        let service = try ServiceHarness(directory: directory) { configuration in
            configuration.webhookTimeout = 1
            configuration.webhookRetryBase = 0.1
            configuration.webhookRetryMax = 0.4
            configure(&configuration)
        }
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let ids = try receivers.map { url in
            let created = try service.call("POST", "/webhooks", key: service.adminKey,
                                           json: "{\"url\":\"\(url)\",\"secret\":\"\(ContinuousScreeningTests.secret)\"}")
            return try #require(try created.json()["id"] as? String)
        }
        let key = try service.createKey(["screen"])
        try ContinuousScreeningTests.screen(service, key, id: "cp-new", name: "New Shipping Co")
        return (service, ids)
    }

    static func deliveries(_ service: ServiceHarness, _ webhook: String, key: String? = nil) throws -> [[String: Any]] {
        try service.call("GET", "/webhooks/\(webhook)/deliveries", key: key ?? service.adminKey).json()["deliveries"] as? [[String: Any]] ?? []
    }

    @Test func aDeliveryIsRetriedAfterAFailureAndATimeoutUntilItLands() throws {
        let receiver = try WebhookReceiver { n in
            switch n {
            case 0: .status(500)
            case 1: .slow(2.5)
            default: .status(204)
            }
        }
        let (service, hooks) = try Self.service([receiver.url])
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        var delivery: [String: Any] = [:]
        #expect(try eventually {
            delivery = try Self.deliveries(service, hooks[0]).first ?? [:]
            return delivery["state"] as? String == "delivered"
        })
        #expect(delivery["attempts"] as? Int == 3)
        let log = try #require(delivery["attemptLog"] as? [[String: Any]])
        #expect(log.map { $0["status"] as? Int } == [500, nil, 204])
        #expect(log[1]["error"] as? String == "no HTTP answer from the receiver within 1.0 s")
        #expect(Set(receiver.deliveries.map(\.deliveryID)).count == 1, "one delivery, sent three times")
    }

    @Test func aReceiverThatNeverAnswersWellIsGivenUpAndOthersAreNotHeldUp() throws {
        let dead = try WebhookReceiver { _ in .status(503) }
        let healthy = try WebhookReceiver()
        let (service, hooks) = try Self.service([dead.url, healthy.url]) { $0.webhookGiveUpAfter = 1.5 }
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        #expect(try eventually { try healthy.alerts().count == 1 })
        var failed: [String: Any] = [:]
        #expect(try eventually {
            failed = try Self.deliveries(service, hooks[0]).first ?? [:]
            return failed["state"] as? String == "failed"
        })
        #expect((failed["attempts"] as? Int ?? 0) >= 2)
        #expect(failed["lastError"] as? String == "the receiver answered 503")
        #expect(try service.call("GET", "/metrics").text.contains("clearance_webhook_attempts_total{outcome=\"failed\"} 1"))
    }

    /// A receiver streaming an endless body is judged by its status line alone: nothing of the body is kept, and the
    /// attempt does not wait for its end.
    @Test func anEndlessResponseBodyIsNotRead() throws {
        let endless = try WebhookReceiver { _ in .endless }
        let (service, hooks) = try Self.service([endless.url]) { $0.webhookTimeout = 6 }
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        var delivery: [String: Any] = [:]
        // Upload, re-screen and alert take their time on a loaded machine; the attempt itself is what is measured.
        #expect(try eventually(timeout: 30) {
            delivery = try Self.deliveries(service, hooks[0]).first ?? [:]
            return delivery["state"] as? String == "delivered"
        })
        // An attempt that waited for the body would reach its deadline, which ends it with no status and a retry;
        // an attempt delivered with the receiver's status was judged on its status line. (Its duration is not
        // asserted: on a loaded machine the clock runs on between the status line and the record.)
        let last = (delivery["attemptLog"] as? [[String: Any]])?.last ?? [:]
        #expect(last["status"] as? Int == 200 && last["error"] == nil, "delivered on its status line, not at the attempt's deadline (6 s): \(last)")
    }

    /// By default only public addresses receive webhooks: a URL on loopback (or any private, link-local or metadata
    /// address) is refused at each attempt, and the receiver hears nothing.
    @Test func internalAddressesAreRefusedUnlessAllowed() throws {
        let receiver = try WebhookReceiver()
        let (service, hooks) = try Self.service([receiver.url]) { $0.webhookAllowPrivateAddresses = false }
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        var delivery: [String: Any] = [:]
        #expect(try eventually {
            delivery = try Self.deliveries(service, hooks[0]).first ?? [:]
            return (delivery["attempts"] as? Int ?? 0) >= 1
        })
        #expect((delivery["lastError"] as? String)?.contains("not a public address") == true, "\(delivery)")
        #expect(receiver.deliveries.isEmpty)
        for address in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                        "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "224.0.0.1"] {
            #expect(!ReceiverAddress.isPublic(address), "\(address)")
        }
        for address in ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            #expect(ReceiverAddress.isPublic(address), "\(address)")
        }
    }

    /// Slow receivers do not hold up a healthy one, however many there are: the healthy one hears before the first
    /// slow attempt ends (queued behind them, it would wait for an attempt's deadline, 4 s). Judged by the attempts'
    /// own clocks, not the test's, so a loaded machine does not change the verdict.
    @Test func manySlowReceiversDoNotHoldUpAHealthyOne() throws {
        let slow = try (0..<24).map { _ in try WebhookReceiver { _ in .slow(4.5) } }
        let healthy = try WebhookReceiver()
        let (service, hooks) = try Self.service(slow.map(\.url) + [healthy.url]) { $0.webhookTimeout = 4 }
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        #expect(try eventually(timeout: 30) { try healthy.alerts().count == 1 })
        var slowAttempts: [[String: Any]] = []
        #expect(try eventually(timeout: 30) {
            slowAttempts = try hooks.dropLast().compactMap { try (Self.deliveries(service, $0).first?["attemptLog"] as? [[String: Any]])?.first }
            return slowAttempts.count == slow.count
        })
        let timestamps = ISO8601DateFormatter()
        timestamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let firstSlowEnd = slowAttempts.compactMap { attempt -> Date? in
            guard let started = timestamps.date(from: attempt["startedAt"] as? String ?? ""), let ms = attempt["durationMs"] as? Double else { return nil }
            return started.addingTimeInterval(ms / 1000)
        }.min()
        let heard = try #require(healthy.deliveries.first?.at)
        #expect(heard < (firstSlowEnd ?? .distantPast), "the healthy receiver heard at \(heard), the first slow attempt ended at \(String(describing: firstSlowEnd))")
        DispatchQueue.concurrentPerform(iterations: slow.count) { slow[$0].stop() }
    }

    /// Each signed checkpoint goes to every webhook, signed like an alert: a copy the database cannot take back.
    @Test func checkpointsArePublishedToTheWebhooks() throws {
        let receiver = try WebhookReceiver()
        let (service, hooks) = try Self.service([receiver.url])
        let created = try service.call("POST", "/audit/checkpoints", key: service.adminKey)
        #expect(created.status == 201)
        let checkpoint = try created.json()
        #expect(try eventually { try receiver.events("audit.checkpoint").count == 1 })
        let published = try #require(try receiver.events("audit.checkpoint").first)
        #expect(published["headHash"] as? String == checkpoint["headHash"] as? String)
        #expect(published["signature"] as? String == checkpoint["signature"] as? String)
        let delivery = try #require(receiver.deliveries.first { $0.event == "audit.checkpoint" })
        #expect(WebhookSignature.verify(header: delivery.signature ?? "", body: delivery.body, deliveryID: delivery.deliveryID ?? "",
                                        secret: ContinuousScreeningTests.secret, now: Int(Date().timeIntervalSince1970)))
        let listed = try #require(try Self.deliveries(service, hooks[0]).first { $0["event"] as? String == "audit.checkpoint" })
        #expect(listed["checkpointId"] as? Int == checkpoint["id"] as? Int && listed["alertId"] == nil)
        // What the receiver kept verifies against the trail.
        let kept = String(decoding: try JSONSerialization.data(withJSONObject: published), as: UTF8.self)
        #expect(try service.call("POST", "/audit/checkpoints/verify", key: try service.createKey(["audit"]), json: kept).json()["valid"] as? Bool == true)
    }

    @Test func pendingDeliveriesSurviveARestart() throws {
        // The receiver is down (its port closed) while the alert is raised and the service stops.
        let placeholder = try WebhookReceiver()
        let port = placeholder.port
        placeholder.stop()
        let directory = TestFolder.make("webhook-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        var (service, hooks): (ServiceHarness?, [String]) = try Self.service(["http://127.0.0.1:\(port)/hook"], directory: directory) {
            $0.webhookRetryBase = 0.2
            $0.webhookRetryMax = 0.2
        }
        _ = try service?.upload("ofac-sdn", files: ListFixtures.v2)
        #expect(try eventually { try service.map { try Self.deliveries($0, hooks[0]).first?["attempts"] as? Int ?? 0 } ?? 0 >= 1 })
        let admin = service?.adminKey
        service = nil

        let receiver = try WebhookReceiver(port: port)
        let restarted = try ServiceHarness(directory: directory) { $0.webhookRetryBase = 0.2 }
        #expect(try eventually { try Self.deliveries(restarted, hooks[0], key: admin).first?["state"] as? String == "delivered" })
        let alerts = try receiver.alerts()
        #expect(alerts.count == 1 && alerts.first?["counterpartyId"] as? String == "cp-new")
    }

    @Test func deletingAWebhookStopsItsDeliveries() throws {
        let dead = try WebhookReceiver { _ in .status(500) }
        let (service, hooks) = try Self.service([dead.url]) { $0.webhookRetryBase = 5 }
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        #expect(try eventually { try Self.deliveries(service, hooks[0]).first?["attempts"] as? Int == 1 })
        #expect(try service.call("DELETE", "/webhooks/\(hooks[0])", key: service.adminKey).status == 204)
        let delivery = try #require(try Self.deliveries(service, hooks[0]).first)
        #expect(delivery["state"] as? String == "failed" && delivery["lastError"] as? String == "the webhook was deleted")
    }
}
