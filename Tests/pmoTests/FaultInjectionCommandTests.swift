// The fault-injection harness end to end (issue 19): the real binary killed with SIGKILL at seeded
// random moments while it writes the column cache or imports, the cache corrupted between runs, a
// lock file swapped for a link; after each fault the answers of a few queries must equal the
// answers read without a cache, and no file outside what pmo may write is touched. Short inside
// `swift test`; longer by hand with PMO_FAULT_SECONDS (and PMO_FAULT_SEED).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import TestSupport

final class FaultInjectionCommandTests: XCTestCase {
    var dir: URL!
    var rng = SystemRandomNumberGenerator()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func pmo(_ args: [String], cache: String = "always") throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "PMO_COLUMN_CACHE": cache], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    /// Starts pmo and kills it with SIGKILL after `micros`.
    func killed(_ args: [String], after micros: UInt32, cache: String = "always") throws {
        let p = Process()
        p.executableURL = try XCTUnwrap(PMOProcess.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["PMO_WORKSPACE"] = ""; env["PMO_COLUMN_CACHE"] = cache
        p.environment = env
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(micros)
        kill(p.processIdentifier, SIGKILL)
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "pmo (killed) did not finish within \(TestEnvironment.processLimit) s")
    }

    static let queries = [
        "projects | sort id | select id, name, status, bac, spi",
        "count(projects where status = red)",
        "sum(timesheets.cost)",
        "milestones | sort id | take 20 | select id, project, due",
        "resources | sort id | select id, name, capacity",
    ]

    func checkAnswers(_ what: String) throws {
        for q in FaultInjectionCommandTests.queries {
            let cached = try pmo(["-c", q, "--format", "csv"], cache: "auto")
            let direct = try pmo(["-c", q, "--format", "csv"], cache: "never")
            XCTAssertEqual(cached.status, 0, "\(what): \(q): \(cached.stderr)")
            XCTAssertEqual(cached.stdout, direct.stdout, "\(what): \(q)")
        }
    }

    func testKillsAndCorruptionNeverGiveAWrongAnswer() throws {
        let env = ProcessInfo.processInfo.environment
        let seconds = Double(env["PMO_FAULT_SECONDS"] ?? "") ?? 6
        var seed = UInt64(env["PMO_FAULT_SEED"] ?? "") ?? 19
        func next(_ n: UInt32) -> UInt32 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: seed >> 33) % n
        }
        XCTAssertEqual(try pmo(["generate", "--size", "tiny", "--seed", "3", "--out", "gen", "--quiet"]).status, 0)
        XCTAssertEqual(try pmo(["init", "--quiet"]).status, 0)
        XCTAssertEqual(try pmo(["import", "gen", "--quiet"]).status, 0)
        XCTAssertEqual(try pmo(["-c", "count(projects)"]).status, 0)
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: path("victim.txt")))
        try Data("count(projects)\n".utf8).write(to: URL(fileURLWithPath: path("s.pmo")))
        let deadline = Date().addingTimeInterval(seconds)
        var faults = 0
        repeat {
            let fault = next(5)
            switch fault {
            case 0:
                // A query killed while it writes the cache.
                unlink(path("portfolio.db-columns"))
                try killed(["-c", "count(timesheets)"], after: 20_000 + next(200_000))
            case 1:
                // An import killed at a random moment.
                let csv = "id,name\nPRJ-0001,Killed import \(next(1_000_000))\n"
                try Data(csv.utf8).write(to: URL(fileURLWithPath: path("p.csv")))
                try killed(["import", "p.csv", "--as", "projects", "--quiet"], after: 10_000 + next(150_000))
            case 2:
                // Bytes of the cache overwritten between runs.
                if var b = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path("portfolio.db-columns")))), b.count > 16 {
                    let at = Int(next(UInt32(b.count - 8)))
                    for i in at..<(at + 8) { b[i] = UInt8(truncatingIfNeeded: next(256)) }
                    try Data(b).write(to: URL(fileURLWithPath: path("portfolio.db-columns")))
                }
            case 3:
                // The cache cut short between runs.
                if let b = try? Data(contentsOf: URL(fileURLWithPath: path("portfolio.db-columns"))) {
                    truncate(path("portfolio.db-columns"), off_t(next(UInt32(max(1, b.count)))))
                }
            default:
                // A lock file swapped for a link to another file: refused, the target untouched.
                _ = try pmo(["run", "s.pmo", "--quiet"])
                let locks = path("portfolio.db.locks")
                if let lock = try FileManager.default.contentsOfDirectory(atPath: locks).first(where: { $0.hasSuffix(".lock") }) {
                    unlink(locks + "/" + lock)
                    symlink(path("victim.txt"), locks + "/" + lock)
                    XCTAssertEqual(try pmo(["run", "s.pmo", "--quiet"]).status, 74)
                    unlink(locks + "/" + lock)
                }
            }
            faults += 1
            try checkAnswers("fault \(fault)")
            XCTAssertEqual(try String(contentsOfFile: path("victim.txt"), encoding: .utf8), "precious\n")
            // The workspace stays whole.
            XCTAssertEqual(try pmo(["-c", "count(projects)"], cache: "never").status, 0)
        } while Date() < deadline
        print("fault injection (processes): \(faults) faults in \(seconds) s")
    }
}
