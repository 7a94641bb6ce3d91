// Read-only workspaces (issue 19), end to end: a query on a workspace pmo may not write (a 0444 file,
// a folder it cannot write) works and leaves no `-wal`/`-shm` behind that would block later writes.
// The tests run as root, whom permissions do not stop, so the binary is run as the unprivileged user
// 65534 (`setpriv`, else `runuser`); as another user, it runs as that user.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import XCTest

final class ReadOnlyWorkspaceCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o777)
    }

    override func tearDownWithError() throws {
        chmod(dir.path, 0o755)
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The user the binary runs as: as root, 65534 through `setpriv` or `runuser`, with a copy of
    /// the binary in a folder every user can reach (a CI clone may be under /root).
    struct Unprivileged {
        let wrapper: [String]
        let exe: URL?
        let uid: uid_t
    }

    static let unprivileged: Unprivileged? = {
        guard getuid() == 0 else { return Unprivileged(wrapper: [], exe: nil, uid: getuid()) }
        let fm = FileManager.default
        var wrapper: [String]?
        if fm.isExecutableFile(atPath: "/usr/bin/setpriv") {
            wrapper = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        } else {
            for p in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"] where fm.isExecutableFile(atPath: p) {
                wrapper = [p, "-u", "#65534", "--"]
                break
            }
        }
        guard let wrapper, let binary = PMOProcess.binary else { return nil }
        let home = fm.temporaryDirectory.appendingPathComponent("pmo-ro-bin-\(getpid())")
        try? fm.createDirectory(at: home, withIntermediateDirectories: true)
        chmod(home.path, 0o755)
        let exe = home.appendingPathComponent("pmo")
        try? fm.removeItem(at: exe)
        guard (try? fm.copyItem(at: binary, to: exe)) != nil else { return nil }
        chmod(exe.path, 0o755)
        // The user must be able to run it at all (a toolchain library it cannot read would stop it).
        guard let probe = try? PMOProcess.run(["-c", "1 + 1", "--data", "/nonexistent-pmo-dir"], wrapper: wrapper, exe: exe),
              probe.exited, probe.status == 66 || probe.status == 0 else { return nil }
        return Unprivileged(wrapper: wrapper, exe: exe, uid: 65534)
    }()

    func user() throws -> Unprivileged {
        guard let u = Self.unprivileged else {
            throw TestEnvironment.unavailable("neither setpriv nor runuser can run pmo as an unprivileged user here",
                                              skip: { XCTSkip($0) })
        }
        return u
    }

    /// Runs pmo as the unprivileged user in the test's folder.
    func asUser(_ args: [String]) throws -> PMOResult {
        let u = try user()
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "HOME": dir.path], cwd: dir, wrapper: u.wrapper, exe: u.exe)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func asRoot(_ args: [String]) throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") || $0.hasSuffix("-journal") }.sorted()
    }

    func initDemo() throws {
        let r = try asRoot(["init", "ws.db", "--demo", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// A 0444 workspace: queries, scripts and exports work as a user who may not write it, nothing is
    /// left beside it, and once it is made writable again imports are not blocked.
    func testAQueryOnA0444WorkspaceWorksAndLeavesNothingBehind() throws {
        let u = try user()
        try initDemo()
        XCTAssertEqual(chown(path("ws.db"), u.uid, gid_t.max), 0)
        XCTAssertEqual(chmod(path("ws.db"), 0o444), 0)
        let q = try asUser(["-c", "count(projects where status = red)", "--workspace", "ws.db"])
        XCTAssertEqual(q.status, 0, q.stderr)
        XCTAssertEqual(q.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "6")
        XCTAssertEqual(leftovers(), [])

        try Data("count(projects)\n".utf8).write(to: dir.appendingPathComponent("s.pmo"))
        let run = try asUser(["run", "s.pmo", "--workspace", "ws.db"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "37")
        // The ledger cannot be written: said once, without waiting for a lock nobody holds.
        XCTAssertEqual(run.stderr.components(separatedBy: "cannot record this run").count - 1, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("read-only"), run.stderr)
        XCTAssertFalse(run.stderr.contains("locked"), run.stderr)
        let export = try asUser(["export", "projects", "--to", "p.csv", "--workspace", "ws.db"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(leftovers(), [])

        // Made writable again by its owner: the next import is not blocked by anything a query left.
        XCTAssertEqual(chmod(path("ws.db"), 0o644), 0)
        try Data("id,name\nPRJ-9999,New\n".utf8).write(to: dir.appendingPathComponent("p9.csv"))
        let i = try asUser(["import", "p9.csv", "--as", "projects", "--workspace", "ws.db", "--quiet"])
        XCTAssertEqual(i.status, 0, i.stderr)
        XCTAssertEqual(try asUser(["-c", "count(projects)", "--workspace", "ws.db"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines), "38")
        XCTAssertEqual(leftovers(), [])
    }

    /// A workspace the user may write, in a folder the user may not write: SQLite could not create
    /// its `-wal` and `-shm` there, and the query used to fail.
    func testAQueryInAFolderItCannotWriteWorks() throws {
        let u = try user()
        try initDemo()
        XCTAssertEqual(chown(path("ws.db"), u.uid, gid_t.max), 0)
        XCTAssertEqual(chmod(dir.path, 0o555), 0)
        let q = try asUser(["-c", "count(projects)", "--workspace", "ws.db"])
        XCTAssertEqual(q.status, 0, q.stderr)
        XCTAssertEqual(q.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "37")
        let big = try asUser(["-c", "count(timesheets)", "--workspace", "ws.db"], cache: "always")
        XCTAssertEqual(big.status, 0, big.stderr)
        XCTAssertEqual(big.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2037")
        XCTAssertEqual(leftovers(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["ws.db"])
    }

    /// Root queries a 0444 workspace (root may write it, its owner may not): no 0444 `-wal`/`-shm`
    /// is left that would block the owner's next write; a writable workspace keeps none either.
    func testAQueryByRootLeavesNoFilesBeside() throws {
        try initDemo()
        chmod(path("ws.db"), 0o444)
        let q = try asRoot(["-c", "count(projects)", "--workspace", "ws.db"])
        XCTAssertEqual(q.status, 0, q.stderr)
        XCTAssertEqual(leftovers(), [])
        chmod(path("ws.db"), 0o644)
        let again = try asRoot(["-c", "count(projects)", "--workspace", "ws.db"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "37")
        XCTAssertEqual(leftovers(), [])
    }
}

extension ReadOnlyWorkspaceCommandTests {
    func asUser(_ args: [String], cache: String) throws -> PMOResult {
        let u = try user()
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "HOME": dir.path, "PMO_COLUMN_CACHE": cache], cwd: dir,
                                   wrapper: u.wrapper, exe: u.exe)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }
}
