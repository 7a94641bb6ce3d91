// The workspace file itself under faults (issue 19), with the real binary where a user would meet
// them: a workspace from an older pmo queried read-only, one whose tables a newer pmo (or another
// tool) altered, a FIFO given as the workspace, a workspace cut short, and a workspace reached
// through a link swapped for another while runs read it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace
import TestSupport

/// What one run of the binary did.
struct BinaryRun {
    var status: Int32
    var exited: Bool
    var stdout: String
    var stderr: String
    var timedOut: Bool
    var answer: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
}

enum BinaryRunner {
    /// Runs `pmo ARGS` in `cwd` with standard output and error captured; killed after `timeout` seconds.
    static func run(_ args: [String], cwd: String, env: [String: String] = [:], timeout: Double = 60) throws -> BinaryRun {
        guard let exe = PMOBinary.path else { throw CocoaError(.fileNoSuchFile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_WORKSPACE", "PMO_DEMO_DIR", "PMO_COLUMN_CACHE"] { environment[key] = nil }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let id = UUID().uuidString
        let outURL = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pmo-out-\(id)")
        let errURL = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pmo-err-\(id)")
        defer { unlink(outURL.path); unlink(errURL.path) }
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while p.isRunning {
            if Date() > deadline { timedOut = true; kill(p.processIdentifier, SIGKILL); break }
            usleep(10_000)
        }
        p.waitUntilExit()
        try out.close(); try err.close()
        return BinaryRun(status: p.terminationStatus, exited: p.terminationReason == .exit,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut)
    }
}

@Suite(.serialized) struct WorkspaceFileFaultTests {
    /// Makes the demo workspace at `path` look as an older pmo left it: the last migration (timesheet
    /// lines with a task) not yet applied.
    static func downgrade(_ path: String) throws {
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE timesheets DROP COLUMN task")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'lines-1'")
        }
        try q.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// A read-only query on a workspace written by an older pmo answers (it was refused until the
    /// workspace was opened for writing), and leaves the file exactly as it was.
    @Test func anOlderWorkspaceIsReadWithoutChangingIt() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("old.db")
        let expected = snapshot(try demoWorkspace(dir, name: "old.db").loadStore(cache: .never))
        try Self.downgrade(path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let ro = try Workspace.open(path: path, readOnly: true)
        #expect(ro.upgradedCopy)
        #expect(snapshot(try ro.loadStore(cache: .always)) == expected)
        #expect(failure { () throws(WorkspaceError) in try ro.importFiles(ImportRequest(paths: [Paths.demo])) }?.kind == .cannotWrite)
        try ro.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        let beside = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(beside == ["old.db"], "nothing written beside an older workspace read read-only: \(beside)")

        // Opening it for writing upgrades the file itself.
        let rw = try Workspace.open(path: path, readOnly: false)
        #expect(!rw.upgradedCopy)
        #expect(try rw.read { db in try WorkspaceSchema.migrator.hasCompletedMigrations(db) })
        #expect(snapshot(try rw.loadStore(cache: .never)) == expected)
    }

    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func anOlderWorkspaceAnswersAQueryFromTheBinary() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("old.db")
        try demoWorkspace(dir, name: "old.db").close()
        try Self.downgrade(path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for query in ["count(timesheets)", "sum(timesheets.hours)", "count(projects where status = red)"] {
            let r = try BinaryRunner.run(["-c", query, "--workspace", "old.db"], cwd: dir.path)
            let fresh = try BinaryRunner.run(["-c", query, "--data", Paths.demo], cwd: dir.path)
            #expect(r.status == 0, "\(query): \(r.stderr)")
            #expect(r.answer == fresh.answer && !r.answer.isEmpty, "\(query): \(r.answer) vs \(fresh.answer)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["old.db"])
    }

    /// A workspace whose tables a newer pmo really altered (a column and a table added, its schema
    /// change recorded) is refused by queries and imports, exit 66, naming the change; the same
    /// alterations by another tool, recorded nowhere, are left alone and the answers are right.
    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func aWorkspaceAlteredByANewerPmoIsRefused() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("n.db")
        try demoWorkspace(dir, name: "n.db").close()
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE projects ADD COLUMN carbon INTEGER NOT NULL DEFAULT 7")
            try db.execute(sql: "CREATE TABLE benefits (rid INTEGER PRIMARY KEY, project INTEGER REFERENCES projects(rid), value INTEGER)")
            try db.execute(sql: "INSERT INTO benefits (project, value) VALUES (1, 100)")
        }
        try q.close()
        try dir.write("p.csv", "id,name\nPRJ-9999,New\n")

        // Altered by another tool: pmo reads the columns it knows and keeps the rest.
        let plain = try BinaryRunner.run(["-c", "count(projects)", "--workspace", "n.db"], cwd: dir.path)
        #expect(plain.status == 0 && plain.answer == "37", "\(plain.answer) \(plain.stderr)")
        let imported = try BinaryRunner.run(["import", "p.csv", "--as", "projects", "--workspace", "n.db", "--quiet"], cwd: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let kept = try DatabaseQueue(path: path)
        #expect(try kept.read { db in try Int.fetchOne(db, sql: "SELECT sum(value) FROM benefits") } == 100)
        #expect(try kept.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM projects WHERE carbon = 7") } == 38)

        // Recorded as a newer pmo records it: a migration this pmo does not know.
        try kept.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('benefits-1')") }
        try kept.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for args in [["-c", "count(projects)"], ["import", "p.csv", "--as", "projects", "--quiet"], ["run", "p.pmo"]] {
            if args.first == "run" { try dir.write("p.pmo", "count(projects)\n") }
            let r = try BinaryRunner.run(args + ["--workspace", "n.db"], cwd: dir.path)
            #expect(r.status == 66, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("newer pmo") && r.stderr.contains("'benefits-1'"), "\(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args): \(r.stdout)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        // And with the version in `meta` raised too: both versions named.
        let v = try DatabaseQueue(path: path)
        try v.write { db in try db.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'") }
        try v.close()
        let r = try BinaryRunner.run(["-c", "count(projects)", "--workspace", "n.db"], cwd: dir.path)
        #expect(r.status == 66 && r.stderr.contains("schema version 2") && r.stderr.contains("schema version 1"), "\(r.stderr)")
    }

    /// A FIFO given as the workspace: a clear error at once, not a hang waiting for a writer.
    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func aFIFOAsTheWorkspaceIsRefusedAtOnce() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        #expect(mkfifo(dir.file("fifo.db"), 0o644) == 0)
        for args in [["-c", "count(projects)"], ["import", Paths.demo], ["export", "projects", "--to", "p.csv"], ["runs"]] {
            let r = try BinaryRunner.run(args + ["--workspace", "fifo.db"], cwd: dir.path, timeout: 20)
            #expect(!r.timedOut, "\(args): pmo hung on a FIFO")
            #expect(r.status == 66 && r.stderr.contains("not a regular file"), "\(args): \(r.status) \(r.stderr)")
        }
    }

    /// A workspace file cut short (a full disk, a copy interrupted): never an answer, never a crash,
    /// with or without a column cache beside it that still matches its first pages.
    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func aTruncatedWorkspaceIsNeverAnswered() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("t.db")
        try demoWorkspace(dir, name: "t.db").close()
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let warm = try BinaryRunner.run(["-c", "count(projects)", "--workspace", "t.db"], cwd: dir.path, env: ["PMO_COLUMN_CACHE": "always"])
        #expect(warm.status == 0 && FileManager.default.fileExists(atPath: path + "-columns"))
        let cache = try Data(contentsOf: URL(fileURLWithPath: path + "-columns"))
        for keep in [0, 50, 100, 4096, 16384, full.count / 4, full.count / 2, full.count - 16384, full.count - 1] {
            for policy in ["always", "never"] {
                try full.prefix(keep).write(to: URL(fileURLWithPath: path))
                try cache.write(to: URL(fileURLWithPath: path + "-columns"))
                let r = try BinaryRunner.run(["-c", "count(timesheets)", "--workspace", "t.db"], cwd: dir.path,
                                             env: ["PMO_COLUMN_CACHE": policy], timeout: 30)
                #expect(r.exited && !r.timedOut, "cut to \(keep) (\(policy)): crashed or hung: \(r.stderr)")
                #expect(r.status == 65 || r.status == 66, "cut to \(keep) (\(policy)): \(r.status) \(r.answer) \(r.stderr)")
                #expect(r.stdout.isEmpty, "cut to \(keep) (\(policy)): answered \(r.answer)")
                #expect(r.stderr.contains("damaged") || r.stderr.contains("not a pmo workspace"), "\(r.stderr)")
            }
        }
    }

    /// `ws.db` is a link swapped between two workspaces while runs read through it (and write and
    /// read the cache beside the link): each run answers wholly from one or the other, or fails
    /// clearly; never a mixture, never a crash.
    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func aLinkSwappedUnderneathRunsGivesOneWorkspacesAnswers() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try demoWorkspace(dir, name: "a.db").close()
        let b = try demoWorkspace(dir, name: "b.db")
        try dir.write("extra.csv", "id,name,status\nPRJ-9001,One,red\nPRJ-9002,Two,red\n")
        try b.importFiles(ImportRequest(paths: [dir.file("extra.csv")], asSet: .project))
        try b.close()
        try dir.write("s.pmo", "count(projects)\ncount(projects where status = red)\nsum(timesheets.hours)\n")
        let a = try BinaryRunner.run(["run", "s.pmo", "--workspace", "a.db"], cwd: dir.path).answer
        let bAnswer = try BinaryRunner.run(["run", "s.pmo", "--workspace", "b.db"], cwd: dir.path).answer
        #expect(a != bAnswer && !a.isEmpty && !bAnswer.isEmpty)
        #expect(symlink("a.db", dir.file("ws.db")) == 0)

        let stop = Atomic(false)
        let swapper = Thread {
            var toB = true
            while !stop.value {
                let tmp = dir.file("ws.link.tmp")
                unlink(tmp)
                _ = symlink(toB ? "b.db" : "a.db", tmp)
                _ = rename(tmp, dir.file("ws.db"))
                toB.toggle()
                usleep(700)
            }
        }
        swapper.start()
        defer { stop.value = true }
        var seen: Set<String> = []
        for i in 0..<24 {
            let r = try BinaryRunner.run(["run", "s.pmo", "--workspace", "ws.db"], cwd: dir.path,
                                         env: ["PMO_COLUMN_CACHE": i % 2 == 0 ? "always" : "auto"], timeout: 60)
            #expect(r.exited && !r.timedOut, "run \(i) crashed or hung: \(r.stderr)")
            if r.status == 0 {
                #expect(r.answer == a || r.answer == bAnswer, "run \(i) mixed the workspaces: \(r.answer)")
                seen.insert(r.answer)
            } else {
                #expect([65, 66, 74].contains(r.status) && r.stdout.isEmpty, "run \(i): \(r.status) \(r.stdout) \(r.stderr)")
            }
        }
        stop.value = true
        // Settled on each in turn, the cache beside the link answers for the right one.
        for (target, answer) in [("a.db", a), ("b.db", bAnswer), ("a.db", a)] {
            unlink(dir.file("ws.db"))
            #expect(symlink(target, dir.file("ws.db")) == 0)
            let r = try BinaryRunner.run(["run", "s.pmo", "--workspace", "ws.db"], cwd: dir.path, env: ["PMO_COLUMN_CACHE": "always"])
            #expect(r.status == 0 && r.answer == answer, "\(target): \(r.answer) \(r.stderr)")
        }
        #expect(!seen.isEmpty)
    }
}

/// A flag shared with a thread.
final class Atomic<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
