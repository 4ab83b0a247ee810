// swift-tools-version:6.1
import PackageDescription

// Linux only: the HTTP server runs on epoll (Sources/CPosix), so no Apple platform is declared.

let package = Package(
    name: "Clearance",
    products: [
        .executable(name: "clearance", targets: ["clearance"]),
    ],
    traits: [
        // Off by default, so the default build needs only libsqlite3-dev and libssl-dev.
        .trait(name: "PostgreSQL", description: "PostgreSQL as the shared database of several replicas, through libpq (libpq-dev)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .target(name: "OpenSSLCrypto", dependencies: ["COpenSSL"]),
        .target(name: "CPosix"),
        .target(name: "HTTPServer", dependencies: ["CPosix", "COpenSSL", .product(name: "Logging", package: "swift-log")]),
        // The migrations in migrations/ and the console's assets are compiled in at build time (Sources/EmbedFilesPlugin).
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"], path: "Sources/EmbedFilesPlugin"),
        .target(
            name: "Store",
            dependencies: ["CSQLite", "OpenSSLCrypto", .target(name: "CLibPQ", condition: .when(traits: ["PostgreSQL"]))],
            plugins: ["EmbedFilesPlugin"]),
        .target(name: "ListFormats", dependencies: ["ZIPFoundation"]),
        .target(name: "Matching"),
        .target(
            name: "ClearanceService",
            dependencies: [
                "HTTPServer", "Store", "ListFormats", "Matching", "OpenSSLCrypto", "CPosix",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The web console's HTML, CSS and JavaScript: package resources compiled into the binary by the plugin
            // (served from memory under /console/, nothing to install beside the binary).
            // The built-in procurement lists' data files likewise.
            exclude: ["Console/Assets", "BuiltInLists/Data"],
            plugins: ["EmbedFilesPlugin"]),
        .executableTarget(
            name: "clearance",
            dependencies: [
                "ClearanceService", "HTTPServer", "OpenSSLCrypto", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "TestSupport", dependencies: ["HTTPServer"], path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        // RealExcerpts: small cuts of real list files (scripts/fixtures/trim-real-lists.py), read by path.
        .testTarget(name: "ListFormatsTests", dependencies: ["ListFormats", "ZIPFoundation"], exclude: ["RealExcerpts"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "OpenSSLCrypto", "TestSupport"]),
        .testTarget(
            name: "ClearanceServiceTests",
            dependencies: [
                "ClearanceService", "TestSupport", "Store", "HTTPServer", "ListFormats", "Matching", "OpenSSLCrypto", "ZIPFoundation",
                .product(name: "Logging", package: "swift-log"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
