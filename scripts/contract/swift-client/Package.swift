// swift-tools-version:6.1
import PackageDescription

// A procurement system's Swift client, generated from Clearance's openapi.yaml by Apple's swift-openapi-generator at
// a pinned version, and a program that drives a running server with it (scripts/contract/swift-client.sh).
let package = Package(
    name: "ClientCheck",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", exact: "1.4.0"),
    ],
    targets: [
        .executableTarget(
            name: "ClientCheck",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
    ],
    swiftLanguageModes: [.v6]
)
