// swift-tools-version:6.0
// Benchmarks for pmo, outside the main build: `bash Benchmarks/run.sh` (see BENCHMARKS.md).
import PackageDescription

let package = Package(
    name: "pmo-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "pmo", path: "..")],
    targets: [
        .executableTarget(name: "pmo-bench", dependencies: [.product(name: "PMOCore", package: "pmo")]),
    ]
)
