// Crash safety of the workspace: WAL journal, a busy timeout instead of failing on a lock, writes
// that happen whole or not at all even when `pmo` is killed with SIGKILL in the middle of a large
// import or of a check run, and read-only opens that never change the file. The kills use the
// built `pmo` binary (the tests skip, saying so, when it is not there).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace
import TestSupport

/// The built `pmo` executable: `$PMO_BINARY`, else next to the test bundle, else in a build folder.
enum PMOBinary {
    static let path: String? = {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["PMO_BINARY"], fm.isExecutableFile(atPath: p) { return p }
        var dirs: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") { dirs.append(b.bundleURL.deletingLastPathComponent()) }
        for scratch in [".build", ".build-cli", ".build-fuzz"] {
            dirs.append(Paths.root.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return dirs.map { $0.appendingPathComponent("pmo").path }.first { fm.isExecutableFile(atPath: $0) }
    }()

    /// Runs `pmo` to the end; returns its exit status and standard error.
    @discardableResult
    static func run(_ args: [String], cwd: String) throws -> (status: Int32, stderr: String) {
        let p = try start(args, cwd: cwd)
        #expect(p.process.waitUntilExit(within: TestEnvironment.processLimit), "pmo did not finish within \(TestEnvironment.processLimit) s")
        return (p.process.terminationStatus, p.stderr())
    }

    struct Running {
        let process: Process
        let errURL: URL
        func stderr() -> String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
    }

    static func start(_ args: [String], cwd: String) throws -> Running {
        guard let exe = path else { throw CocoaError(.fileNoSuchFile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_WORKSPACE", "PMO_DEMO_DIR"] { env[key] = nil }
        p.environment = env
        let errURL = URL(fileURLWithPath: cwd).appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return Running(process: p, errURL: errURL)
    }

    /// True when `pmo --help` lists the subcommand (`pmo NAME` alone would run a script called NAME).
    static func has(_ subcommand: String) -> Bool {
        guard let exe = path else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["--help"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.limit(to: 30)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = p.waitUntilExit(within: 30)
        return text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(subcommand + " ") }
    }
}

/// What a workspace holds, for comparing before and after a write.
enum WorkspaceState {
    /// `PRAGMA integrity_check` on a fresh read-write open (which also recovers a WAL left by a killed process).
    static func integrity(_ path: String) throws -> [String] {
        let ws = try Workspace.open(path: path, readOnly: false)
        defer { try? ws.close() }
        return try ws.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The content of one table: its row count and an order-independent hash of its rows.
    struct TableDigest: Equatable {
        var rows = 0
        var hash: UInt64 = 0
    }

    /// Every table (but `excluding`): equal digests mean equal content (up to a 64-bit hash per row).
    static func digest(_ path: String, excluding: Set<String> = []) throws -> [String: TableDigest] {
        let ws = try Workspace.open(path: path, readOnly: true)
        defer { try? ws.close() }
        return try ws.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            var out: [String: TableDigest] = [:]
            for t in tables where !excluding.contains(t) {
                var d = TableDigest()
                let rows = try Row.fetchCursor(db, sql: contentQuery(db, table: t))
                while let row = try rows.next() {
                    var h: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a of the row's text
                    for b in row.description.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                    d.rows += 1
                    d.hash &+= h
                }
                out[t] = d
            }
            return out
        }
    }

    /// What a table holds, less what a write stamps from the wall clock or at random rather than
    /// from its input: the data generation in `meta` (a fresh random number per change, so that
    /// a restored copy can never match its cache) and the `recorded` time of journal entries. A run
    /// killed after its commit must then compare equal to the full run.
    static func contentQuery(_ db: Database, table t: String) throws -> String {
        if t == "meta" { return "SELECT * FROM meta WHERE key != 'data_generation'" }
        let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [t])
            .compactMap { $0["name"] as String? }.filter { $0 != "recorded" }
        return "SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \"\(t)\""
    }

    static func rowCount(_ d: [String: TableDigest]) -> Int { d.values.reduce(0) { $0 + $1.rows } }
}

@Suite(.serialized) struct CrashSafetyTests {
    // MARK: - Journal and locking

    @Test func workspaceUsesWALAndABusyTimeout() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("w.db")
        let ws = try Workspace.create(path: path)
        #expect(try ws.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try ws.read { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") } == Int(Workspace.busyTimeout * 1000))
        try ws.close()
        let again = try Workspace.open(path: path, readOnly: false)
        #expect(try again.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        let ro = try Workspace.open(path: path, readOnly: true)
        #expect(try ro.read { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") } == Int(Workspace.busyTimeout * 1000))
    }

    /// Another process holding the write lock makes an import wait (up to the busy timeout), not fail.
    @Test func importWaitsForAnotherWriter() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("w.db")
        let ws = try Workspace.create(path: path)
        try dir.write("in/people.csv", "id,name\nP1,Ada\n")
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.6)
                try db.execute(sql: "COMMIT")
            }
            done.signal()
        }
        #expect(locked.wait(within: 30), "the lock holder did not start")
        let started = Date()
        let summary = try ws.importFiles(ImportRequest(paths: [dir.file("in")]))
        #expect(Date().timeIntervalSince(started) >= 0.4, "the import did not wait for the lock")
        #expect(summary.description.contains("people: 1 new"), "\(summary.description)")
        #expect(done.wait(within: 60), "the lock holder did not finish")
        #expect(try ws.counts()[.person] == 1)
    }

    // MARK: - SIGKILL in the middle of a write

    /// Kills `pmo ARGS` at several moments of its run (fractions of how long a full run takes) on fresh
    /// copies of `base`; after each kill the workspace must open, pass the integrity check and hold
    /// exactly the state before the write or (when the kill came after the commit) the state after
    /// it. At least one kill must land before the commit.
    func killDuringWrites(_ dir: TempDir, base: String, args: (String) -> [String], excluding: Set<String>) throws {
        // pmo leaves its WAL behind when it exits; closing the file once folds it in, so the file alone is the copy.
        try Workspace.open(path: base, readOnly: false).close()
        #expect(!FileManager.default.fileExists(atPath: base + "-wal"), "the base workspace was not closed cleanly")
        let before = try WorkspaceState.digest(base, excluding: excluding)

        // A full run, for the state after the write and its duration.
        let full = dir.file("full.db")
        try FileManager.default.copyItem(atPath: base, toPath: full)
        let started = Date()
        let r = try PMOBinary.run(args(full), cwd: dir.path)
        let duration = Date().timeIntervalSince(started)
        #expect([0, 1].contains(r.status), "the full run failed: \(r.stderr)")
        let after = try WorkspaceState.digest(full, excluding: excluding)
        let changed = after != before
        #expect(changed, "the full run changed nothing, so a kill proves nothing")

        var killedBefore = 0, killedAfter = 0, finished = 0
        for (i, fraction) in [0.1, 0.25, 0.4, 0.55, 0.7, 0.85].enumerated() {
            let path = dir.file("kill-\(i).db")
            try FileManager.default.copyItem(atPath: base, toPath: path)
            let running = try PMOBinary.start(args(path), cwd: dir.path)
            Thread.sleep(forTimeInterval: duration * fraction)
            kill(running.process.processIdentifier, SIGKILL)
            #expect(running.process.waitUntilExit(within: TestEnvironment.processLimit), "the killed import did not finish within \(TestEnvironment.processLimit) s")
            if running.process.terminationReason == .exit {
                finished += 1
            }
            let integrity = try WorkspaceState.integrity(path)
            #expect(integrity == ["ok"], "kill at \(fraction) of the run")
            let state = try WorkspaceState.digest(path, excluding: excluding)
            if state == before {
                killedBefore += running.process.terminationReason == .uncaughtSignal ? 1 : 0
            } else if state == after {
                killedAfter += 1
            } else {
                let counts = (WorkspaceState.rowCount(before), WorkspaceState.rowCount(after), WorkspaceState.rowCount(state))
                Issue.record("kill at \(fraction) of the run left neither the state before (\(counts.0) rows) nor after (\(counts.1) rows) but \(counts.2) rows")
            }
        }
        #expect(killedBefore >= 1, "no kill landed before the commit (\(killedAfter) after it, \(finished) finished; full run \(duration) s)")
    }

    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func killedImportLeavesTheWorkspaceAsItWas() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        for (size, seed) in [("tiny", "3"), ("medium", "4")] {
            let r = try PMOBinary.run(["generate", "--size", size, "--seed", seed, "--out", dir.file(size), "--quiet"], cwd: dir.path)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let base = dir.file("base.db")
        #expect(try PMOBinary.run(["init", base, "--quiet"], cwd: dir.path).status == 0)
        let tiny = try PMOBinary.run(["import", dir.file("tiny"), "--workspace", base, "--quiet"], cwd: dir.path)
        #expect(tiny.status == 0, "\(tiny.stderr)")
        try killDuringWrites(dir, base: base, args: { ["import", dir.file("medium"), "--workspace", $0, "--quiet"] }, excluding: [])
    }

    @Test(.enabled(if: (PMOBinary.path != nil && PMOBinary.has("check")) || TestEnvironment.isCI, "needs a pmo binary with the check command; in CI it must be there"))
    func killedCheckLeavesTheFindingsAsTheyWere() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        #expect(try PMOBinary.run(["generate", "--size", "medium", "--seed", "5", "--out", dir.file("medium"), "--quiet"], cwd: dir.path).status == 0)
        let base = dir.file("base.db")
        #expect(try PMOBinary.run(["init", base, "--quiet"], cwd: dir.path).status == 0)
        #expect(try PMOBinary.run(["import", dir.file("medium"), "--workspace", base, "--quiet"], cwd: dir.path).status == 0)
        // One finding per milestone (2,000): loading, evaluating, then one findings write at the end.
        try dir.write("rules.pmo", """
            rule every_milestone "Every milestone is a finding"
              severity low
              for milestones
              require due < 1900-01-01
              message "{name} is due {due}"

            """)
        // The run ledger records that a run started (its own committed write) before the check works:
        // the state compared is everything else.
        try killDuringWrites(dir, base: base, args: { ["check", dir.file("rules.pmo"), "--workspace", $0, "--quiet"] },
                             excluding: ["runs"])
    }

    // MARK: - Read-only opens

    @Test func readOnlyOpenNeverChangesTheFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("r.db")
        let ws = try demoWorkspace(dir, name: "r.db")
        try ws.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        Thread.sleep(forTimeInterval: 0.05)

        let ro = try Workspace.open(path: path, readOnly: true)
        let store = try ro.loadStore()
        #expect(store.table(.project).count == 37)
        _ = try ro.counts()
        _ = try ro.settings()
        #expect(failure { () throws(WorkspaceError) in try ro.importStore(store, replace: true) }?.kind == .cannotWrite)
        #expect(failure { () throws(WorkspaceError) in try ro.importFiles(ImportRequest(paths: [Paths.demo])) }?.kind == .cannotWrite)
        #expect(throws: (any Error).self) { try ro.read { db in try db.execute(sql: "DELETE FROM projects") } }
        try ro.close()

        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)
    }

    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func queriesAndExportsLeaveTheWorkspaceFileAlone() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("q.db")
        try demoWorkspace(dir, name: "q.db").close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        for args in [["-c", "count(projects where status = red)"], ["query", "projects | sort bac desc | take 3"],
                     ["export", "projects", "--to", dir.file("p.csv")]] {
            let e = try PMOBinary.run(args + ["--workspace", path], cwd: dir.path)
            #expect(e.status == 0, "\(args): \(e.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)
    }
}
