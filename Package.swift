// swift-tools-version:6.0
// pmo: a query and rule language for project management offices.
import PackageDescription

let package = Package(
    name: "pmo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pmo", targets: ["pmo"]),
        // The engine as a library, for the separate Benchmarks/ and Fuzz/ packages.
        .library(name: "PMOCore", targets: ["PMOBase", "PMOSyntax", "Portfolio", "PMORuntime", "PMORender"]),
        // The SQLite workspace as a library, for the MS Project import fuzzer in Fuzz/.
        .library(name: "PMOWorkspace", targets: ["Workspace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Value types shared by the syntax and the model: fixed-point decimals, days, periods, durations.
        .target(name: "PMOBase"),
        // Source text, tokens, lexer, AST, parser, printer, diagnostics. Knows nothing of the model.
        .target(name: "PMOSyntax", dependencies: ["PMOBase"]),
        // The portfolio model: schema, column-wise entity tables, CSV loading, metrics. Knows nothing of the syntax.
        .target(name: "Portfolio", dependencies: ["PMOBase"]),
        // Checker, compiler and interpreter: joins the syntax and the model; renders results as text.
        .target(name: "PMORuntime", dependencies: ["PMOBase", "PMOSyntax", "Portfolio"]),
        // The SQLite workspace (GRDB): versioned schema, import of CSV, JSON and MS Project XML, export, fast loading.
        .target(name: "Workspace", dependencies: [
            "Portfolio", "PMOBase",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Scheduling and unattended runs: when cron expressions fire, which scripts are due, a lock per
        // workspace and script, the watchdog of --timeout and signals, the run ledger's rows.
        .target(name: "PMOCron", dependencies: ["PMOBase", "PMOSyntax", "PMORuntime", "Workspace"]),
        // Renders results and values as terminal tables, CSV, JSON, Markdown and HTML.
        .target(name: "PMORender", dependencies: ["PMORuntime", "PMOSyntax", "Portfolio", "PMOBase"]),
        // The system libedit (Debian/Ubuntu: libedit-dev), for line editing at the interactive prompt.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // Non-variadic C wrappers of libedit (Swift cannot call its variadic functions) and the Ctrl-C flag.
        .target(name: "CEditShim", dependencies: ["CEditLine"]),
        // The interactive prompt: line editing, history, completion, meta commands, paging.
        .target(name: "PMORepl", dependencies: ["PMORuntime", "PMORender", "PMOSyntax", "Portfolio", "PMOBase", "CEditShim"]),
        // The thin command-line host.
        .executableTarget(name: "pmo", dependencies: [
            "PMORuntime", "PMORender", "PMOSyntax", "Portfolio", "PMOBase", "PMORepl", "Workspace", "PMOCron",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Waits with time limits and CI-aware skips, shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PMOBaseTests", dependencies: ["PMOBase"]),
        .testTarget(name: "PMOSyntaxTests", dependencies: ["TestSupport", "PMOSyntax", "PMOBase"]),
        .testTarget(name: "PortfolioTests", dependencies: ["Portfolio", "PMOBase"]),
        .testTarget(name: "PMORuntimeTests", dependencies: ["PMORuntime", "PMOSyntax", "Portfolio", "PMOBase"], exclude: ["Golden"]),
        .testTarget(name: "PMOCronTests", dependencies: ["PMOCron", "PMOSyntax", "PMOBase", "Workspace", "Portfolio"]),
        .testTarget(name: "PMORenderTests", dependencies: ["PMORender", "PMORuntime", "Portfolio", "PMOBase"]),
        .testTarget(name: "ExampleScriptTests", dependencies: ["PMORuntime", "PMORender", "PMOSyntax", "Portfolio", "PMOBase"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["TestSupport", "Workspace", "Portfolio", "PMOBase"], exclude: ["Fixtures"]),
        .testTarget(name: "pmoTests", dependencies: ["TestSupport", "pmo"], exclude: ["Fixtures"]),
        // The differential query fuzzer (issue 12): pmo's answers against SQLite's over the same data.
        .testTarget(name: "DifferentialTests", dependencies: [
            "PMORuntime", "PMOSyntax", "Portfolio", "PMOBase",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // ARCHITECTURE.md kept true: module imports, the file table, no printing below the hosts.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "PMOReplTests", dependencies: ["TestSupport", "PMORepl", "PMORuntime", "PMORender", "PMOSyntax", "Portfolio", "PMOBase", "pmo"]),
    ]
)
