// The column cache beside a workspace: the same portfolio as SQLite gives, sets filled only when
// touched, stale after any change to the data (by pmo or by another tool), damage reported clearly.
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct ColumnCacheTests {
    func cachedDemo(_ dir: TempDir) throws -> Workspace {
        let ws = try demoWorkspace(dir)
        _ = try ws.loadStore(cache: .always)
        #expect(FileManager.default.fileExists(atPath: ColumnCacheFormat.path(of: ws.path)))
        return ws
    }

    /// The offset of a set's region in the cache file.
    func region(_ path: String, _ k: EntityKind) -> Int {
        let b = bytes(path)
        let e = ColumnCacheFormat.headerSize + k.rawValue * ColumnCacheFormat.entrySize + 16
        return Int(b[e..<(e + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
    }

    func patch(_ path: String, at offset: Int, _ new: [UInt8]) throws {
        var b = bytes(path)
        b.replaceSubrange(offset..<(offset + new.count), with: new)
        try Data(b).write(to: URL(fileURLWithPath: path))
    }

    /// Where column `field` of set `k` starts in the file (after the set's table of columns).
    func columnStart(_ path: String, _ k: EntityKind, _ field: Int) -> Int {
        let b = bytes(path)
        let r = region(path, k)
        var at = r + Catalog.schemas[k.rawValue].fields.count * ColumnCacheFormat.columnEntrySize
        for i in 0..<field { at += Int(b[(r + i * 16)..<(r + i * 16 + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }) }
        return at
    }

    /// Patches bytes inside a column and writes the column's checksum again, as a forger would: the
    /// value checks behind the checksum must still hold.
    func forge(_ path: String, _ k: EntityKind, _ field: Int, at offset: Int, _ new: [UInt8]) throws {
        var b = bytes(path)
        let r = region(path, k)
        let start = columnStart(path, k, field)
        let length = Int(b[(r + field * 16)..<(r + field * 16 + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        b.replaceSubrange((start + offset)..<(start + offset + new.count), with: new)
        var hash = XXH64.hash(Array(b[start..<(start + length)]))
        withUnsafeBytes(of: &hash) { b.replaceSubrange((r + field * 16 + 8)..<(r + field * 16 + 16), with: $0) }
        try Data(b).write(to: URL(fileURLWithPath: path))
    }

    @Test func cachedStoreEqualsTheWorkspace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cached = try ws.loadStore(cache: .auto)
        #expect(!cached.isFilled(.project))
        #expect(snapshot(cached) == snapshot(try ws.loadStore(cache: .never)))
        #expect(cached.loadFailure == nil)
        // Indexes built from cached sets agree too.
        let direct = try ws.loadStore(cache: .never)
        #expect(cached.find(.project, key: "PRJ-0001") == direct.find(.project, key: "PRJ-0001"))
        #expect(cached.statusByProject.rows == direct.statusByProject.rows)
        #expect(cached.table(.project).column("name")?.pool.code(of: "SAP S/4HANA Finance Rollout") ==
                direct.table(.project).column("name")?.pool.code(of: "SAP S/4HANA Finance Rollout"))
    }

    @Test func onlyTheSetsTouchedAreFilled() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let store = try ws.loadStore()
        #expect(store.table(.milestone).count > 0)
        // A milestone refers to its project, which refers to programs, portfolios and people.
        for k in [EntityKind.milestone, .project, .program, .portfolio, .person] { #expect(store.isFilled(k), "\(k)") }
        for k in [EntityKind.timesheet, .statusReport, .allocation, .task] { #expect(!store.isFilled(k), "\(k)") }
    }

    @Test func anImportMakesTheCacheStale() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let before = try ws.read { db in try DataGeneration.read(db) }
        try dir.write("in/projects.csv", "id,name\nPRJ-0001,ERP renamed\n")
        try ws.importFiles(ImportRequest(paths: [dir.file("in/projects.csv")]))
        let after = try ws.read { db in try DataGeneration.read(db) }
        #expect(after != nil && after != before)
        let store = try ws.loadStore()
        let row = try #require(store.find(.project, key: "PRJ-0001"))
        #expect(store.table(.project).column("name")?.string(Int(row)) == "ERP renamed")
    }

    @Test func anEditByAnotherToolMakesTheCacheStale() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        try ws.close()
        let other = try DatabaseQueue(path: dir.file("demo.db"))
        try other.write { db in try db.execute(sql: "UPDATE projects SET name = 'Edited by hand' WHERE id = 'PRJ-0001'") }
        try other.close()
        let store = try Workspace.open(path: dir.file("demo.db"), readOnly: true).loadStore()
        let row = try #require(store.find(.project, key: "PRJ-0001"))
        #expect(store.table(.project).column("name")?.string(Int(row)) == "Edited by hand")
    }

    /// Damage the checksum catches: the column is read from SQLite instead, the answer is the
    /// workspace's, and the damaged cache is removed so that the next run writes a new one.
    @Test func aDamagedColumnIsReadFromTheWorkspace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        // The first array of the milestone set is the id column's codes: point the first one far outside the pool.
        try patch(cache, at: columnStart(cache, .milestone, 0) + 8, [0xff, 0xff, 0xff, 0x7f])
        let store = try ws.loadStore()
        #expect(snapshot(store) == snapshot(try ws.loadStore(cache: .never)))
        #expect(store.loadFailure == nil)
        #expect(!FileManager.default.fileExists(atPath: cache), "the damaged cache is removed")
    }

    /// FuzzColumnCache/string-offsets-past-the-bytes and the like, behind a forged checksum: every
    /// value is still bounded as it is copied out, and the column is then read from SQLite.
    @Test(arguments: [
        ("id codes outside the pool", EntityKind.milestone, "id", 8, [UInt8]([0xff, 0xff, 0xff, 0x7f])),
        ("string offsets past the bytes", EntityKind.project, "id", -1, [0xff, 0xff, 0, 0, 0, 0, 0, 0]),
        ("list offsets past the items", EntityKind.project, "tags", 16, [0xff, 0xff, 0, 0, 0, 0, 0, 0]),
        ("an array running past its column", EntityKind.milestone, "due", 0, [0xff, 0xff, 0xff, 0]),
    ])
    func forgedColumnsAreReadFromTheWorkspace(_ what: String, _ k: EntityKind, _ field: String, _ offset: Int, _ new: [UInt8]) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let i = try #require(Catalog.schemas[k.rawValue].fieldIndex(field))
        var at = offset
        if at < 0 {
            // The id column's string offsets: after its codes and its none mask, then offsets[2].
            let b = bytes(cache)
            let start = columnStart(cache, k, i)
            func int64(_ p: Int) -> Int { Int(b[p..<(p + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }) }
            var p = start
            p += 8 + (int64(p) * 4 + 7) / 8 * 8
            p += 8 + int64(p) * 8
            at = p - start + 16
        }
        try forge(cache, k, i, at: at, new)
        let store = try ws.loadStore()
        #expect(snapshot(store) == snapshot(try ws.loadStore(cache: .never)), "\(what)")
        #expect(store.loadFailure == nil, "\(what)")
    }

    /// FuzzColumnCache/row-count-far-beyond-the-data: a patched row count fails the header's checksum.
    @Test func aPatchedHeaderIsIgnored() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let entry = ColumnCacheFormat.headerSize + EntityKind.milestone.rawValue * ColumnCacheFormat.entrySize + 8
        try patch(cache, at: entry, [0, 0, 0, 0x70, 0, 0, 0, 0])
        let store = try ws.loadStore()
        #expect(store.isFilled(.milestone), "read from SQLite")
        #expect(snapshot(store) == snapshot(try ws.loadStore(cache: .never)))
    }

    @Test func columnsAreCopiedOnlyWhenRead() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let store = try ws.loadStore()
        let t = store.table(.milestone)
        let due = try #require(t.schema.fieldIndex("due")), name = try #require(t.schema.fieldIndex("name"))
        #expect(!t.isFilled(due) && !t.isFilled(name))
        _ = t.column("due")
        #expect(t.isFilled(due) && !t.isFilled(name))
        #expect(snapshot(store) == snapshot(try ws.loadStore(cache: .never)))
        #expect((0..<t.columns.count).allSatisfy(t.isFilled))
    }

    @Test func aMalformedOrForeignCacheIsIgnored() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let whole = bytes(cache)
        let expected = snapshot(try ws.loadStore(cache: .never))
        // Cut short, a wrong magic, a region pointing past the end: read from SQLite instead.
        for damage in [{ (b: inout [UInt8]) in b.removeLast(b.count / 2) },
                       { (b: inout [UInt8]) in b[0] = 0x58 },
                       { (b: inout [UInt8]) in
                           let e = ColumnCacheFormat.headerSize + EntityKind.project.rawValue * ColumnCacheFormat.entrySize + 24
                           for i in e..<(e + 8) { b[i] = 0x7f } },
                       { (b: inout [UInt8]) in b = [] },
                       { (b: inout [UInt8]) in b = Array(b[0..<ColumnCacheFormat.directorySize]) }] {
            var b = whole
            damage(&b)
            try Data(b).write(to: URL(fileURLWithPath: cache))
            let store = try ws.loadStore(cache: .auto)
            #expect(store.isFilled(.project))
            #expect(snapshot(store) == expected)
        }
    }

    @Test func aSmallWorkspaceGetsNoCacheUnlessAsked() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        _ = try ws.loadStore()
        #expect(!FileManager.default.fileExists(atPath: ColumnCacheFormat.path(of: ws.path)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
        #expect(leftovers.isEmpty)
    }
}
