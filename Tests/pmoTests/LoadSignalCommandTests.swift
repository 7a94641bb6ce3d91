// Termination signals that arrive while a large portfolio loads (issue 19), with the real binary:
// the loaders poll the run guard's flag, so the run ends at once with exit 130 and no output, well
// before the guard's hard stop (3 s), leaving no temporary file and the workspace intact. (It used to
// finish the load, or be ended by the hard stop, and once answered with exit 0 after the signal.)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import XCTest

final class LoadSignalCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A started `pmo`, its output in files.
    struct Started {
        let process: Process
        let out: URL
        let err: URL
        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }
    }

    func start(_ args: [String], env: [String: String] = [:]) throws -> Started {
        let binary = try XCTUnwrap(PMOProcess.binary, "the pmo binary was not found; build it first")
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_WORKSPACE", "PMO_DEMO_DIR", "PMO_COLUMN_CACHE"] { environment[key] = nil }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let id = UUID().uuidString
        let out = dir.appendingPathComponent("out-\(id)"), err = dir.appendingPathComponent("err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.limit()
        return Started(process: p, out: out, err: err)
    }

    /// Waits for the process; returns the seconds it took, or nil after `limit` seconds (then kills it).
    func wait(_ s: Started, limit: Double) -> Double? {
        let started = Date()
        while s.process.isRunning {
            if Date().timeIntervalSince(started) > limit {
                kill(s.process.processIdentifier, SIGKILL)
                s.process.waitUntilExit()
                return nil
            }
            usleep(2_000)
        }
        return Date().timeIntervalSince(started)
    }

    func generateMedium() throws -> String {
        let out = path("gen")
        let g = try PMOProcess.run(["generate", "--size", "medium", "--seed", "7", "--out", out], cwd: dir)
        XCTAssertEqual(g.status, 0, g.stderr)
        return out
    }

    /// `--data` with about three million timesheet lines (the medium portfolio's, twelve times), which
    /// takes many seconds to load: SIGTERM, SIGINT and SIGHUP a moment into the load end the run within
    /// a fraction of a second (the hard stop would take 3 s, the load far longer).
    func testASignalDuringALargeCSVLoadEndsTheRunAtOnce() throws {
        let data = try generateMedium()
        let sheets = URL(fileURLWithPath: data).appendingPathComponent("timesheets.csv")
        let original = try Data(contentsOf: sheets)
        let header = original.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        var big = original
        for _ in 0..<11 { big.append(original[header...]) }
        try big.write(to: sheets)
        big = Data()
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: data))
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            let s = try start(["-c", "count(timesheets)", "--data", data])
            usleep(700_000)
            XCTAssertTrue(s.process.isRunning, "the load ended before the signal: the test proves nothing")
            kill(s.process.processIdentifier, sig)
            let took = try XCTUnwrap(wait(s, limit: 30), "pmo did not end after signal \(sig)")
            XCTAssertLessThan(took, 2, "signal \(sig): ended after \(took) s, not at once")
            XCTAssertEqual(s.process.terminationReason, .exit)
            XCTAssertEqual(s.process.terminationStatus, 130, s.stderr)
            XCTAssertEqual(s.stdout, "")
            XCTAssertTrue(s.stderr.contains("interrupted (SIG"), s.stderr)
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: data)), before)
    }

    /// A workspace loading and writing its column cache, signalled at moments spread over the load:
    /// every run ends with exit 130 and no output (or finished first, exit 0 with the right answer),
    /// no temporary file or `-wal`/`-shm` is left, and the workspace answers as before.
    func testASignalDuringAWorkspaceLoadLeavesNothingBehind() throws {
        let data = try generateMedium()
        let ws = path("ws.db")
        XCTAssertEqual(try PMOProcess.run(["init", ws, "--quiet"], cwd: dir).status, 0)
        let i = try PMOProcess.run(["import", data, "--workspace", ws, "--quiet"], cwd: dir)
        XCTAssertEqual(i.status, 0, i.stderr)
        let query = "sum(timesheets.hours)"
        let expected = try PMOProcess.run(["-c", query, "--workspace", ws], env: ["PMO_COLUMN_CACHE": "never"], cwd: dir)
        XCTAssertEqual(expected.status, 0, expected.stderr)
        let t0 = Date()
        let full = try start(["-c", query, "--workspace", ws], env: ["PMO_COLUMN_CACHE": "always"])
        _ = wait(full, limit: 60)
        let whole = Date().timeIntervalSince(t0)
        var stopped = 0
        for step in 0..<8 {
            try? FileManager.default.removeItem(atPath: ws + "-columns")
            let s = try start(["-c", query, "--workspace", ws], env: ["PMO_COLUMN_CACHE": "always"])
            usleep(useconds_t(whole * Double(step + 1) / 9 * 1_000_000))
            kill(s.process.processIdentifier, step % 2 == 0 ? SIGTERM : SIGINT)
            let took = try XCTUnwrap(wait(s, limit: 30), "pmo did not end after the signal")
            XCTAssertLessThan(took, 2.5)
            if s.process.terminationReason == .uncaughtSignal {
                // Before pmo set up its handlers (a slow start): it had read and written nothing.
                XCTAssertEqual(s.stdout, "")
            } else if s.process.terminationStatus == 130 {
                stopped += 1
                XCTAssertEqual(s.stdout, "")
            } else {
                XCTAssertEqual(s.process.terminationStatus, 0, s.stderr)
                XCTAssertEqual(s.stdout, expected.stdout)
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                .filter { $0.contains(".tmp-") || $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }
            XCTAssertEqual(left, [], "step \(step)")
        }
        XCTAssertGreaterThan(stopped, 0, "no signal landed during a load")
        let after = try PMOProcess.run(["-c", query, "--workspace", ws], env: ["PMO_COLUMN_CACHE": "always"], cwd: dir)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(after.stdout, expected.stdout)
        let check = try PMOProcess.run(["-c", query, "--workspace", ws], env: ["PMO_COLUMN_CACHE": "never"], cwd: dir)
        XCTAssertEqual(check.stdout, expected.stdout)
    }
}
