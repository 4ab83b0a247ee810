import Foundation
import Testing
import TestSupport

/// The web console: its files and headers over HTTP, and the pages driven in a real headless Chromium as reviewers,
/// auditors and admins use them. Screenshots of the main pages go to `.build/test-output/console/`.
@Suite(.serialized)
struct ConsoleTests {
    static let xss = "<img src=x onerror=alert(1)>"
    static let acme = #"{"id": "V-1", "name": "Acme Shell Trading LLC", "countries": ["PA"], "programs": ["ACME-DENIED"]}"#
    static let xssEntry = #"{"id": "V-X", "name": "<img src=x onerror=alert(1)>"}"#
    static let zenith = #"{"id": "V-2", "name": "Zenith Metals Trading", "countries": ["AE"]}"#
    static let zenithChanged = #"{"id": "V-2", "name": "Zenith Metals Trading", "aliases": ["Zenith Metals FZE"], "countries": ["AE"]}"#
    static let orion = #"{"id": "V-3", "name": "Orion Freight FZE", "countries": ["AE"]}"#

    static var screenshots: URL {
        ServiceHarness.projectRoot.appendingPathComponent(".build/test-output/console", isDirectory: true)
    }

    /// A service with two versions of an own list (v2 changes one entry and adds one), keys for each kind of user,
    /// and two decisions awaiting review: a supplier, and a subject named like markup.
    struct Setup {
        let service: ServiceHarness
        let screen: String
        let reviewer: String
        let reviewOnly: String
        let acmeDecision: String

        init() throws {
            service = try ServiceHarness()
            for entries in ["\(acme),\(zenith),\(xssEntry)", "\(acme),\(zenithChanged),\(xssEntry),\(orion)"] {
                let upload = try service.uploadRaw("acme-denied", query: "?format=clearance-json", data: ReviewTests.ownList(entries),
                                                   contentType: "application/json")
                #expect(upload.status == 201, "\(upload.text)")
            }
            screen = try service.createKey(["screen"])
            reviewer = try service.createKey(["review", "audit"])
            reviewOnly = try service.createKey(["review"])
            acmeDecision = try Self.screen(service, screen, #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-acme"}"#)["decisionId"] as? String ?? ""
            #expect(try Self.screen(service, screen, "{\"name\": \"\(xss)\"}")["decision"] as? String == "review")
        }

        static func screen(_ service: ServiceHarness, _ key: String, _ body: String) throws -> [String: Any] {
            let response = try service.call("POST", "/screen", key: key, json: body)
            #expect(response.status == 200, "\(response.text)")
            return try response.json()
        }

        var url: String { "http://127.0.0.1:\(service.port)/console/" }
    }

    static func signIn(_ browser: WebDriver, _ setup: Setup, key: String) throws {
        try browser.open(setup.url)
        // From the keyboard: the key field has focus; Enter submits.
        try browser.type("#api-key", key + "\u{E007}")
        _ = try browser.element("#sign-out")
    }

    /// The browser tests run where Chromium and its driver are installed, and always where `CLEARANCE_REQUIRE_BROWSER`
    /// is set (CI), where a missing browser fails them.
    static let browserAvailable = WebDriver.unavailable == nil || WebDriver.required

    static func browser(width: Int = 1280, height: Int = 900) throws -> WebDriver {
        if let reason = WebDriver.unavailable { throw TestSupportError(description: "the console tests must run here: \(reason)") }
        return try WebDriver(width: width, height: height)
    }

    @Test func theConsoleIsStaticFilesWithAStrictPolicyAndValidators() throws {
        let service = try ServiceHarness()
        for path in ["/console", "/console/", "/console/app.js", "/console/console.css"] {
            let response = try service.call("GET", path)
            #expect(response.status == 200, "\(path)")
            let policy = try #require(response.header("Content-Security-Policy"))
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"))
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Cache-Control") == "no-cache")
            let etag = try #require(response.header("ETag"))
            let again = try service.call("GET", path, headers: ["If-None-Match": etag])
            #expect(again.status == 304 && again.body.isEmpty, "\(path) is not sent again while unchanged")
        }
        let page = try service.call("GET", "/console/").text
        #expect(page.contains("<script type=\"module\" src=\"/console/app.js\"></script>"))
        #expect(!page.contains("<script>") && !page.contains("onclick="), "no inline script: the policy would refuse it")
        #expect(try service.call("GET", "/console/app.js").header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(try service.call("GET", "/console/nope.js").status == 404)
        #expect(try service.call("GET", "/console/..%2Fopenapi.yaml").status == 404)
        // No asset names a host: nothing is loaded from the internet.
        for asset in ["index.html", "app.js", "api.js", "dom.js", "reviews.js", "history.js", "lists.js", "admin.js", "console.css"] {
            let text = try service.call("GET", "/console/\(asset)").text
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(asset)")
            #expect(!text.contains("innerHTML") && !text.contains("insertAdjacentHTML") && !text.contains("document.write"), "\(asset)")
        }
    }

    @Test(.enabled(if: browserAvailable, "needs chromium and chromium-driver (apt-get install chromium chromium-driver)"))
    func aReviewerResolvesAFalsePositiveAndAnAuditorFollowsIt() throws {
        let browser = try Self.browser()
        let setup = try Setup()
        try Self.signIn(browser, setup, key: setup.reviewer)

        // The queue, oldest first.
        _ = try browser.element("#queue-table")
        try browser.waitForText("Acme Shell Trading LLC")
        #expect(try browser.text("#queue-counts").contains("2"))
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("review-queue.png"))

        // The decision: matched words highlighted side by side, the evidence, the entry with its programs.
        try browser.run("[...document.querySelectorAll('a.subject')].find(a => a.textContent.includes('Acme')).click()")
        try browser.waitForText("Why it matched")
        let card = "article[data-entry='acme-denied:V-1']"
        #expect(try browser.run("return document.querySelectorAll(arguments[0] + ' mark').length", [card]) as? Int ?? 0 >= 6)
        try browser.run("document.querySelector(arguments[0] + ' details:nth-of-type(2)').open = true", [card])
        try browser.waitForText("ACME-DENIED")
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("decision.png"))

        // A false positive, with its reason and note.
        try browser.click("\(card) input[value='false_positive']")
        try browser.select("\(card) select[name='reason']", "different_country")
        try browser.type("\(card) textarea[name='note']", "Registered in Ohio; the listed company is a Panama shell")
        try browser.click("\(card) button[type='submit']")
        try browser.waitForText("Resolved as")
        #expect(try browser.text("#dispositions").contains("different country"))
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("decision-resolved.png"))

        // The next screen of that supplier shows the match suppressed, naming the disposition.
        let next = try Setup.screen(setup.service, setup.screen, #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-acme"}"#)
        #expect(next["decision"] as? String == "clear")
        try browser.open(setup.url + "#/decisions/\(next["decisionId"] as? String ?? "")")
        try browser.waitForText("Suppressed by false positive dsp_")

        // History: full-text search finds both decisions.
        try browser.click("#nav a[href='#/decisions']")
        try browser.type("#history-q", "acme")
        try browser.click("#history-search")
        _ = try eventually { try browser.run("return document.querySelectorAll('#history-table tbody tr').length") as? Int == 2 }
        #expect(try browser.text("#history-table").contains("Acme Shell Trading LLC"))
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("decision-history.png"))

        // The chain verifies, dispositions and resolution included.
        try browser.click("#nav a[href='#/audit']")
        try browser.click("#verify-chain")
        try browser.waitForText("chain valid")
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("audit-chain.png"))

        // An admin diffs the two list versions, and sees the activate and roll-back controls.
        try browser.click("#sign-out")
        try Self.signIn(browser, setup, key: setup.service.adminKey)
        try browser.open(setup.url + "#/lists/acme-denied")
        try browser.click("a[data-diff='2']")
        try browser.waitForText("1 added")
        #expect(try browser.text("#diff-summary").contains("1 changed"))
        #expect(try browser.text("#diff-table").contains("Orion Freight FZE") && browser.text("#diff-table").contains("Zenith Metals FZE"))
        #expect(try browser.pageText().contains("Roll back"))
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("list-diff.png"))

        // Rolling back asks first; confirmed, v1 is active again.
        try browser.run("[...document.querySelectorAll('#versions-table button')].find(b => b.textContent === 'Roll back').click()")
        try browser.click("button[data-confirm='yes']")
        _ = try eventually { (try setup.service.call("GET", "/lists/acme-denied/versions", key: setup.service.adminKey).json()["activeVersion"] as? Int) == 1 }
        #expect(try setup.service.call("GET", "/lists/acme-denied/versions", key: setup.service.adminKey).json()["activeVersion"] as? Int == 1)

        try browser.click("#nav a[href='#/keys']")
        _ = try browser.element("#keys-table")
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("keys.png"))

        // On a tablet the pages reflow: nothing wider than the window.
        try browser.resize(width: 820, height: 1180)
        try browser.click("#nav a[href='#/lists']")
        _ = try browser.element("#lists-table")
        #expect(try browser.run("return document.documentElement.scrollWidth <= window.innerWidth") as? Bool == true)
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("lists-tablet.png"))
    }

    @Test(.enabled(if: browserAvailable, "needs chromium and chromium-driver (apt-get install chromium chromium-driver)"))
    func listAndRequestTextIsShownAsTextAndRolesHidePagesTheyDoNotAllow() throws {
        let browser = try Self.browser()
        let setup = try Setup()
        try Self.signIn(browser, setup, key: setup.reviewOnly)

        let sections = try browser.text("#nav")
        #expect(sections.contains("Review queue") && !sections.contains("Keys") && !sections.contains("Webhooks") && !sections.contains("Decisions"))
        try browser.open(setup.url + "#/keys")
        try browser.waitForText("This page needs the admin role")
        #expect(try browser.elements("#keys-table").isEmpty)

        // A subject and a list entry named like markup are shown as those characters; nothing runs.
        try browser.open(setup.url + "#/reviews")
        try browser.run("document.querySelector('#main').focus()")
        _ = try browser.element("#queue-table")
        try browser.run("[...document.querySelectorAll('a.subject')].find(a => a.textContent.includes('onerror')).click()")
        try browser.waitForText("Why it matched")
        #expect(try browser.pageText().contains(Self.xss))
        #expect(try browser.run("return document.querySelectorAll('img').length") as? Int == 0)
        #expect(try !browser.hasOpenDialog(), "no script from the text ran")
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("xss-as-text.png"))

        // A reviewer reads the lists but gets no activate or roll-back control.
        try browser.open(setup.url + "#/lists/acme-denied")
        _ = try browser.element("#versions-table")
        #expect(try !browser.pageText().contains("Roll back") && !browser.pageText().contains("Activate"))
    }

    @Test(.enabled(if: browserAvailable, "needs chromium and chromium-driver (apt-get install chromium chromium-driver)"))
    func aDecisionShowsItsOwnersAndTheListedPartiesBehindItsMatches() throws {
        let browser = try Self.browser()
        let (service, key) = try ProcurementTests.service()
        let auditor = try service.createKey(["review", "audit"])
        let body = #"{"name":"Chengdu Dahua Wisdom Information Technology Co., Ltd.","owners":[{"name":"BANCO NACIONAL DE CUBA","sharePercent":30},"#
            + #"{"name":"Maria Jensen","type":"person","sharePercent":70}]}"#
        let decision = try ProcurementTests.screen(service, key, body)
        let url = "http://127.0.0.1:\(service.port)/console/"
        try browser.open(url)
        try browser.type("#api-key", auditor + "\u{E007}")
        _ = try browser.element("#sign-out")
        try browser.open(url + "#/decisions/\(decision["decisionId"] as? String ?? "")")
        _ = try browser.element("#owners")
        _ = try browser.element(".match .relations")
        let page = try browser.pageText()
        #expect(page.contains("30% (BANCO NACIONAL DE CUBA) = 30% in aggregate, under 50%"), "the 50 percent rule's arithmetic")
        #expect(page.contains("a subsidiary of Zhejiang Dahua Technology Co., Ltd. (us-fcc-covered), a section 889 covered entity"))
        #expect(page.contains("profile commercial"))
        try browser.screenshot(to: Self.screenshots.appendingPathComponent("owners-and-relations.png"))
    }
}
