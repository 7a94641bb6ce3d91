// Runs the built `pmo` binary as a child process, and writes small portfolios for it to query.
import Foundation
import XCTest
import TestSupport

/// What one run of `pmo` did.
struct PMOResult {
    var status: Int32
    /// False when the process died of a signal (a crash or trap) instead of exiting.
    var exited: Bool
    var stdout: String
    var stderr: String
}

enum PMOProcess {
    /// The `pmo` executable: `$PMO_BINARY`, else next to the test bundle, else in the package's build folders.
    static let binary: URL? = {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["PMO_BINARY"], fm.isExecutableFile(atPath: p) {
            return URL(fileURLWithPath: p)
        }
        var dirs: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            dirs.append(b.bundleURL.deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for scratch in [".build-cli", ".build"] {
            dirs.append(root.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return dirs.map { $0.appendingPathComponent("pmo") }.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `pmo` with arguments, optional standard input and extra environment, in `cwd`.
    /// Standard output and error go to files, so neither is a terminal and neither can fill up a pipe.
    /// `wrapper` runs it through another program (`setpriv ... pmo ARGS`), `exe` replaces the binary.
    static func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:],
                    cwd: URL? = nil, wrapper: [String] = [], exe: URL? = nil) throws -> PMOResult {
        guard let exe = exe ?? binary else {
            XCTFail("the pmo binary was not found; build it first (swift build) or set PMO_BINARY")
            return PMOResult(status: -1, exited: false, stdout: "", stderr: "")
        }
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("pmo-run-\(UUID().uuidString)")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let p = Process()
        if let program = wrapper.first {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = Array(wrapper.dropFirst()) + [exe.path] + args
        } else {
            p.executableURL = exe
            p.arguments = args
        }
        var environment = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_DEMO_DIR", "NO_COLOR", "COLUMNS"] { environment[key] = nil }
        environment["TERM"] = "xterm-256color"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        if stdin != nil { p.standardInput = input } else { p.standardInput = FileHandle.nullDevice }
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "pmo did not finish within \(TestEnvironment.processLimit) s")
        try out.close()
        try err.close()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return PMOResult(status: p.terminationStatus, exited: p.terminationReason == .exit,
                         stdout: stdout, stderr: stderr)
    }
}

/// A temporary folder holding a small portfolio (and room for scripts and outputs); removed by `remove()`.
struct Fixture {
    let root: URL
    var data: URL { root.appendingPathComponent("data") }

    static let people = """
    id,name,email,department
    P1,Ann Lee,ann@example.com,Finance
    P2,Bo Chen,bo@example.com,IT

    """

    /// Three projects, one over $1M without a sponsor; the status date is 2026-11-22.
    static let projects = """
    id,name,sponsor,phase,status,bac,start,finish
    PRJ-001,ERP rollout,,execution,red,1500000,2026-01-05,2026-11-30
    PRJ-002,Web shop,P1,planning,green,250000.50,2026-03-02,2027-02-26
    PRJ-003,Receivables,P2,execution,amber,800000,2026-02-02,2026-12-18

    """

    static let settings = """
    key,value
    status_date,2026-11-22
    currency,USD

    """

    init(projects: String = Fixture.projects) throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("pmo-fixture-\(UUID().uuidString)")
        try fm.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try write("data/people.csv", Fixture.people)
        try write("data/projects.csv", projects)
        try write("data/settings.csv", Fixture.settings)
    }

    /// Writes a file under the fixture's root and returns its path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: root.appendingPathComponent(relative))).map { String(decoding: $0, as: UTF8.self) }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
