// swift-tools-version:5.4
// libFuzzer targets for pmo, kept out of the main package so that `-sanitize=fuzzer` never touches
// the real build or its tests. Build with `./run.sh build` (see README.md).
//
// Pinned to tools version 5.4 on purpose: from 5.5 on, SwiftPM links an executable through a renamed
// `<Module>_main` entry point, and under `-parse-as-library` (which the fuzzers need, as libFuzzer
// supplies `main`) that link fails. Each fuzzer is therefore a plain `.target` whose `main.swift`
// only defines `LLVMFuzzerTestOneInput`.
import PackageDescription

let package = Package(
    name: "PMOFuzz",
    dependencies: [
        .package(name: "pmo", path: ".."),
    ],
    targets: [
        // The fixed portfolio, the invariants the fuzzers check, and a failure report that traps.
        .target(name: "FuzzCommon", dependencies: [.product(name: "PMOCore", package: "pmo")]),
        // Lexer: spans in order and in bounds, only whitespace and comments between tokens, one end of input.
        .target(name: "FuzzLexer", dependencies: ["FuzzCommon", .product(name: "PMOCore", package: "pmo")]),
        // Parser: terminates, diagnostics inside the source, print(parse(x)) is a fixed point.
        .target(name: "FuzzParser", dependencies: ["FuzzCommon", .product(name: "PMOCore", package: "pmo")]),
        // Checker and interpreter on a small fixed portfolio under a step and row budget.
        .target(name: "FuzzEngine", dependencies: ["FuzzCommon", .product(name: "PMOCore", package: "pmo")]),
        // CSV loader: one file of a portfolio folder is the input; it loads or throws LoadError.
        .target(name: "FuzzCSV", dependencies: ["FuzzCommon", .product(name: "PMOCore", package: "pmo")]),
        // The column cache beside a workspace, patched or replaced: ignored, read, or reported; never a trap.
        .target(name: "FuzzColumnCache", dependencies: [
            "FuzzCommon",
            .product(name: "PMOCore", package: "pmo"),
            .product(name: "PMOWorkspace", package: "pmo"),
        ]),
        // MS Project XML import into a workspace: it succeeds, or the workspace is unchanged.
        .target(name: "FuzzMSPDI", dependencies: [
            "FuzzCommon",
            .product(name: "PMOCore", package: "pmo"),
            .product(name: "PMOWorkspace", package: "pmo"),
        ]),
    ]
)
