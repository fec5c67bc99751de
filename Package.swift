// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "easel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "easel", targets: ["easel"]),
        .library(name: "EaselKit", targets: ["EaselKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "Ccmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        // CBOR, for C2PA Content Credentials (manifests are CBOR in JUMBF boxes): no maintained
        // Swift CBOR package is among the mirrored ones; libcbor is Debian's and decodes as a stream.
        .systemLibrary(
            name: "CCbor",
            pkgConfig: "libcbor",
            providers: [.apt(["libcbor-dev"]), .brew(["libcbor"])]
        ),
        // libvips's headers (and libwebp's, linked: WebPGetInfo reads a thumbnail's size). libvips itself is not
        // linked: linked, its hundred-odd libraries cost every process ~40 ms and ~20 MB before main(), builds
        // that make no image included. CVipsLoader opens it with dlopen when an image is first made. So the
        // pkg-config package here is GObject's, for the include paths <vips/vips.h> needs (pkg-config's
        // `vips` would also link -lvips), and libvips-dev, which depends on it, is what provides it.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "gobject-2.0",
            providers: [.apt(["libvips-dev"]), .brew(["vips"])]
        ),
        .target(name: "CVipsLoader", dependencies: ["CVips"]),
        // Turns the top-level templates/ folder into Swift source, so the built-in theme is
        // compiled into the binary and `easel` works from any directory.
        .executableTarget(name: "EmbedTheme", swiftSettings: swiftSettings),
        .plugin(name: "ThemePlugin", capability: .buildTool(), dependencies: ["EmbedTheme"]),
        // `lstat`, `fstat` and `fstatat` into a struct of Easel's own (easel_file_look.h says why).
        .target(name: "CFileLook"),
        .target(
            name: "EaselKit",
            dependencies: [
                "Ccmark", "CCbor", "CVips", "CVipsLoader", "CFileLook",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["ThemePlugin"]
        ),
        // The libFuzzer target (make fuzz); a plain build makes it a replayer of saved inputs.
        .executableTarget(name: "EaselFuzz", dependencies: ["EaselKit"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "easel",
            dependencies: [
                "EaselKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EaselKitTests",
            dependencies: [
                "EaselKit", "CFileLook",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // Images signed with C2PA Content Credentials by scripts/make-c2pa-fixtures.py, read by path.
            exclude: ["Credentials/Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "easelTests",
            dependencies: [
                "easel", "EaselKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
