// The column cache cannot lie (issue 19): a cache is used only by the very workspace file and data it
// was written for, every column is checksummed, and a cache cut short, replaced or turned into a FIFO
// underneath a run costs time, never a wrong answer or a crash. Each reproduction of the issue is here.
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct CacheIdentityTests {
    /// The demo, its cache written.
    func cached(_ dir: TempDir, _ name: String = "demo.db") throws -> Workspace {
        let ws = try demoWorkspace(dir, name: name)
        _ = try ws.loadStore(cache: .always)
        #expect(FileManager.default.fileExists(atPath: ColumnCacheFormat.path(of: ws.path)))
        return ws
    }

    /// A second workspace unlike the demo: one project per state, the demo's people.
    func other(_ dir: TempDir, _ name: String) throws -> Workspace {
        let ws = try Workspace.create(path: dir.file(name))
        try dir.write("other/projects.csv", "id,name,status\nPRJ-9001,Other one,red\nPRJ-9002,Other two,green\n")
        try ws.importFiles(ImportRequest(paths: [dir.file("other/projects.csv")]))
        return ws
    }

    func projectIDs(_ path: String, cache: ColumnCachePolicy = .auto) throws -> [String] {
        let store = try Workspace.open(path: path, readOnly: true).loadStore(cache: cache)
        #expect(store.loadFailure == nil)
        let t = store.table(.project)
        return (0..<t.count).compactMap { t.column("id")?.string($0) }
    }

    @Test func xxh64KnownValues() {
        #expect(XXH64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXH64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    /// `cp B.db A.db`: A's cache describes the old A; the copy has B's identity and generation.
    @Test func aWorkspaceCopiedOverAnotherIsNotAnsweredFromItsCache() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try cached(dir, "a.db")
        try a.close()
        let b = try other(dir, "b.db")
        try b.close()
        let expected = try projectIDs(dir.file("b.db"), cache: .never)
        // cp keeps A's inode: the file is rewritten in place.
        let fh = try #require(FileHandle(forWritingAtPath: dir.file("a.db")))
        fh.truncateFile(atOffset: 0)
        fh.write(Data(bytes(dir.file("b.db"))))
        fh.closeFile()
        #expect(try projectIDs(dir.file("a.db")) == expected)
    }

    /// The same with B's own cache copied along (`cp B.db A.db; cp B.db-columns A.db-columns`).
    @Test func aCacheCopiedWithItsWorkspaceIsNotTrustedForTheCopy() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let b = try cached(dir, "b.db")
        try b.close()
        let a = try other(dir, "a.db")
        try a.close()
        let expected = try projectIDs(dir.file("a.db"), cache: .never)
        // A's file, B's cache beside it: the identity differs.
        try Data(bytes(dir.file("b.db-columns"))).write(to: URL(fileURLWithPath: dir.file("a.db-columns")))
        #expect(try projectIDs(dir.file("a.db")) == expected)
        // B copied to a new file C with B's cache: same identity and generation, another inode.
        try FileManager.default.copyItem(atPath: dir.file("b.db"), toPath: dir.file("c.db"))
        try FileManager.default.copyItem(atPath: dir.file("b.db-columns"), toPath: dir.file("c.db-columns"))
        let store = try Workspace.open(path: dir.file("c.db"), readOnly: true).loadStore()
        #expect(store.isFilled(.project), "the copy's cache was not read")
    }

    /// Deleted and re-created under the same name, or a backup restored over it.
    @Test func aRecreatedOrRestoredWorkspaceIsNotAnsweredFromTheOldCache() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try cached(dir, "a.db")
        try a.close()
        let cacheBytes = bytes(dir.file("a.db-columns"))
        for suffix in ["", "-wal", "-shm"] { unlink(dir.file("a.db") + suffix) }
        let again = try other(dir, "a.db")
        try again.close()
        try Data(cacheBytes).write(to: URL(fileURLWithPath: dir.file("a.db-columns")))
        #expect(try projectIDs(dir.file("a.db")) == ["PRJ-9001", "PRJ-9002"])
    }

    /// A backup restored in place (same file, same identity) then changed: the generation is random,
    /// so it cannot come back to the number the cache was stamped with.
    @Test func aRestoredBackupChangedOnceMoreIsNotAnsweredFromTheCache() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir, name: "a.db")
        try ws.close()
        let backup = bytes(dir.file("a.db"))
        let w1 = try Workspace.open(path: dir.file("a.db"), readOnly: false)
        try dir.write("p1.csv", "id,name\nPRJ-0001,First rename\n")
        try w1.importFiles(ImportRequest(paths: [dir.file("p1.csv")], asSet: .project))
        _ = try w1.loadStore(cache: .always)
        try w1.close()
        let fh = try #require(FileHandle(forWritingAtPath: dir.file("a.db")))
        fh.truncateFile(atOffset: 0)
        fh.write(Data(backup))
        fh.closeFile()
        let w2 = try Workspace.open(path: dir.file("a.db"), readOnly: false)
        try dir.write("p2.csv", "id,name\nPRJ-0001,Second rename\n")
        try w2.importFiles(ImportRequest(paths: [dir.file("p2.csv")], asSet: .project))
        try w2.close()
        let store = try Workspace.open(path: dir.file("a.db"), readOnly: true).loadStore()
        let row = try #require(store.find(.project, key: "PRJ-0001"))
        #expect(store.table(.project).column("name")?.string(Int(row)) == "Second rename")
    }

    /// Two workspaces sharing one cache file (a symbolic link), and a workspace reached through a link.
    @Test func linkedWorkspacesAndCachesAreNotConfused() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try cached(dir, "a.db")
        try a.close()
        let b = try other(dir, "b.db")
        try b.close()
        unlink(dir.file("b.db-columns"))
        symlink(dir.file("a.db-columns"), dir.file("b.db-columns"))
        #expect(try projectIDs(dir.file("b.db"), cache: .always) == ["PRJ-9001", "PRJ-9002"])
        // The rebuilt cache replaced the link; A's cache is A's still.
        #expect(SafeFiles.oddity(dir.file("b.db-columns")) == nil)
        #expect(try projectIDs(dir.file("a.db")).count == 37)
        // A link named like A, pointing at B, beside A's cache.
        try FileManager.default.moveItem(atPath: dir.file("a.db"), toPath: dir.file("a-real.db"))
        symlink(dir.file("b.db"), dir.file("a.db"))
        #expect(try projectIDs(dir.file("a.db")) == ["PRJ-9001", "PRJ-9002"])
    }

    /// Eight bytes overwritten in the middle of the cache (a money column): the checksum sees it.
    @Test func bytesOverwrittenInANumericColumnAreSeen() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cached(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let expected = snapshot(try ws.loadStore(cache: .never))
        var b = bytes(cache)
        let mid = b.count / 2
        b.replaceSubrange(mid..<(mid + 8), with: [0x00, 0x00, 0x40, 0x7f, 0x55, 0x55, 0x00, 0x00])
        try Data(b).write(to: URL(fileURLWithPath: cache))
        let store = try ws.loadStore()
        #expect(snapshot(store) == expected)
        #expect(store.loadFailure == nil)
    }

    /// The cache cut short while a run reads it: no SIGBUS, the columns not read yet come from SQLite.
    @Test func aCacheTruncatedUnderneathIsSurvived() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cached(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let store = try ws.loadStore()
        #expect(!store.isFilled(.timesheet))
        #expect(truncate(cache, off_t(ColumnCacheFormat.directorySize + 100)) == 0)
        #expect(snapshot(store) == snapshot(try ws.loadStore(cache: .never)))
        #expect(store.loadFailure == nil)
    }

    /// A FIFO, a directory or a device at the cache's path: ignored at once (no hang), and left alone.
    @Test func aCacheThatIsNotARegularFileIsIgnored() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        #expect(mkfifo(cache, 0o644) == 0)
        let store = try ws.loadStore(cache: .auto)
        #expect(store.table(.project).count == 37)
        #expect(SafeFiles.oddity(cache) == "a FIFO")
    }

    /// The temporary file has an unpredictable name, never follows a link, and leftovers of killed
    /// runs are removed (the predictable name of earlier versions included); a link planted where a
    /// temporary file might be is not followed or removed.
    @Test func temporaryFilesAreUnpredictableAndCleanedUp() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        try dir.write("victim.txt", "precious\n")
        symlink(dir.file("victim.txt"), cache + ".tmp-" + String(getpid()))
        symlink(dir.file("victim.txt"), cache + ".tmp-0000000000000001")
        try dir.write("demo.db-columns.tmp-12345", "left by a killed run")
        try dir.write("demo.db-columns.tmp-00000000deadbeef", "left by a killed run")
        _ = try ws.loadStore(cache: .always)
        #expect(dir.read("victim.txt") == "precious\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains("demo.db-columns.tmp-12345"))
        #expect(!names.contains("demo.db-columns.tmp-00000000deadbeef"))
        #expect(names.filter { $0.contains(".tmp-") }.count == 2, "only the two links remain: \(names)")
        #expect(FileManager.default.fileExists(atPath: cache))
    }

    /// A temporary file being written by a live run (locked) is not removed by another.
    @Test func aTemporaryFileInUseIsNotRemoved() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let target = dir.file("x-columns")
        let (fd, path) = try TemporaryFiles.create(beside: target)
        defer { close(fd) }
        #expect(path.hasPrefix(target + ".tmp-") && path.count == target.count + 5 + 16)
        TemporaryFiles.removeStale(beside: target)
        #expect(FileManager.default.fileExists(atPath: path))
        close(fd)
        TemporaryFiles.removeStale(beside: target)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Every workspace gets a random identity; a copy keeps it, a new workspace has another.
    @Test func workspacesHaveRandomIdentities() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try Workspace.create(path: dir.file("a.db")), b = try Workspace.create(path: dir.file("b.db"))
        let ia = try a.read { try WorkspaceIdentity.read($0) }, ib = try b.read { try WorkspaceIdentity.read($0) }
        #expect(ia != 0 && ib != 0 && ia != ib)
    }
}
