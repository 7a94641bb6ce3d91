// Install and run anywhere: a copy of the built binary in a folder of its own, run from another
// folder with no pmo variables set, finds its demo (compiled in), creates a demo workspace, opens
// the prompt, and writes its own path into crontab lines. The embedded demo equals examples/demo.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import TestSupport

final class InstallTests: XCTestCase {
    var root: URL!
    var bin: URL { root.appendingPathComponent("bin/pmo") }
    var elsewhere: URL { root.appendingPathComponent("elsewhere") }
    var tmp: URL { root.appendingPathComponent("tmp") }

    override func setUpWithError() throws {
        guard let built = REPLBinary.path else { throw TestEnvironment.unavailable("the pmo binary was not found; build it first", skip: { XCTSkip($0) }) }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-install-\(UUID().uuidString)")
        for d in ["bin", "elsewhere", "tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(d), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: built, toPath: bin.path)
    }

    override func tearDown() {
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    /// Runs the copy in `elsewhere` with no PMO_* variables and a private TMPDIR.
    func run(_ args: [String], stdin: String = "") throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        p.currentDirectoryURL = elsewhere
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PMO_") }
        env["TMPDIR"] = tmp.path
        env["HOME"] = root.path
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        p.limit()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "the installed pmo did not finish within \(TestEnvironment.processLimit) s")
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testACopiedBinaryQueriesItsDemoAndLeavesNothingBehind() throws {
        let r = try run(["-c", "count(projects where status = red)"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "6\n")
        // The demo was written to a private temporary folder and removed at exit.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
        let piped = try run([], stdin: "count(projects)\n")
        XCTAssertEqual(piped.out, "37\n", piped.err)
    }

    func testACopiedBinaryCreatesADemoWorkspace() throws {
        let r = try run(["init", "--demo"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("portfolio.db").path))
        let q = try run(["-c", "count(timesheets)"])
        XCTAssertEqual(q.out, "2037\n", q.err)
    }

    func testCrontabNamesTheCopiedBinary() throws {
        let scripts = elsewhere.appendingPathComponent("cron")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try "schedule \"0 7 * * mon\"\ncount(projects)\n".write(to: scripts.appendingPathComponent("weekly.pmo"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["init", "--demo"]).status, 0)
        let r = try run(["crontab", "cron"])
        XCTAssertEqual(r.status, 0, r.err)
        let real = bin.resolvingSymlinksInPath().path
        XCTAssertTrue(r.out.contains(real + " "), "crontab should run \(real):\n\(r.out)")
        XCTAssertFalse(r.out.contains("/.build/"), r.out)
    }

    func testTheCopiedBinaryOpensThePrompt() throws {
        let shell = "cd '\(elsewhere.path)' && exec '\(bin.path)'"
        let p = try PTYProcess(["-c", shell], env: ["HOME": root.path, "TMPDIR": tmp.path, "XDG_STATE_HOME": root.path],
                               executable: "/bin/sh")
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        XCTAssertTrue(p.screenText.contains("demo"), p.screenText)
        p.send("count(projects)\r")
        XCTAssertTrue(p.expect("37"), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        p.send(PTYProcess.ctrlD)
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
    }

    /// Sources/pmo/DemoData.swift holds exactly the files of examples/demo (tools/embed_demo.py).
    func testTheEmbeddedDemoIsTheDemoFolder() throws {
        let source = try String(contentsOf: REPLBinary.packageRoot.appendingPathComponent("Sources/pmo/DemoData.swift"), encoding: .utf8)
        var embedded: [String: Data] = [:]
        var name: String?
        var text = ""
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("(\""), t.hasSuffix("\"\"\"") {
                name = String(t.dropFirst(2).prefix { $0 != "\"" })
                text = ""
            } else if t == "\"\"\")," {
                if let n = name { embedded[n] = Data(base64Encoded: text) }
                name = nil
            } else if name != nil {
                text += t
            }
        }
        let demo = REPLBinary.packageRoot.appendingPathComponent("examples/demo")
        let files = try FileManager.default.contentsOfDirectory(atPath: demo.path).filter { $0.hasSuffix(".csv") || $0 == "README.md" }
        XCTAssertEqual(Set(embedded.keys), Set(files), "run python3 tools/embed_demo.py")
        for f in files {
            XCTAssertEqual(embedded[f], try Data(contentsOf: demo.appendingPathComponent(f)), "\(f) differs: run python3 tools/embed_demo.py")
        }
    }
}
