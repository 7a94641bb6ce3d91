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
        #expect(after == before.map { $0 + 1 })
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

    @Test func aDamagedColumnIsReportedAndReadAsNone() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        // The first array of the milestone set is the id column's codes: point the first one far outside the pool.
        try patch(cache, at: region(cache, .milestone) + 8, [0xff, 0xff, 0xff, 0x7f])
        let store = try ws.loadStore()
        let milestones = store.table(.milestone)
        #expect(milestones.count > 0)
        #expect(milestones.column("due")?.nulls.anySet != nil)
        #expect(store.loadFailure == nil, "only the columns read are checked")
        let ids = try #require(milestones.column("id"))
        #expect(ids.codes.count == milestones.count && ids.codes.allSatisfy { $0 == -1 })
        let failure = try #require(store.loadFailure)
        #expect(failure.contains("column cache"))
        #expect(failure.contains("milestones.id"))
        #expect(failure.contains("a string code outside the pool"))
    }

    @Test func aSetWhoseArraysRunPastItsEndIsEmpty() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        try patch(cache, at: region(cache, .milestone), [0xff, 0xff, 0xff, 0x00])
        let store = try ws.loadStore()
        #expect(store.table(.project).count == 37)
        #expect(store.table(.milestone).count == 0)
        #expect(store.loadFailure?.contains("milestones.id: an array runs past its set") == true)
    }

    /// FuzzColumnCache/string-offsets-past-the-bytes: a string offset between the first and the last
    /// pointing past the pool's bytes sliced out of range (a trap) before every offset was bounded.
    @Test func stringOffsetsPastTheBytesAreDamage() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let b = bytes(cache)
        func int64(_ at: Int) -> Int { Int(b[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }) }
        func padded(_ n: Int) -> Int { (n + 7) / 8 * 8 }
        // The projects' id column: its codes, its none mask, then its strings' offsets.
        var at = region(cache, .project)
        at += 8 + padded(int64(at) * 4)
        at += 8 + int64(at) * 8
        #expect(int64(at) > 2)
        try patch(cache, at: at + 16, [0xff, 0xff, 0, 0, 0, 0, 0, 0])
        let store = try ws.loadStore()
        let ids = try #require(store.table(.project).column("id"))
        #expect(ids.codes.allSatisfy { $0 == -1 })
        #expect(store.loadFailure?.contains("projects.id: bad strings") == true)
    }

    /// The same for a list's item offsets (projects.tags).
    @Test func listOffsetsPastTheItemsAreDamage() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let b = bytes(cache)
        func int64(_ at: Int) -> Int { Int(b[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }) }
        var at = region(cache, .project)
        let fields = Catalog.schemas[EntityKind.project.rawValue].fields
        let tags = try #require(fields.firstIndex { $0.name == "tags" })
        for f in fields[..<tags] {
            for stride in ColumnCacheFormat.strides(f.type) { at += 8 + (int64(at) * stride + 7) / 8 * 8 }
        }
        // The tags' item offsets: count, then offsets[0], offsets[1]...
        #expect(int64(at) > 2)
        try patch(cache, at: at + 16, [0xff, 0xff, 0, 0, 0, 0, 0, 0])
        let store = try ws.loadStore()
        let column = try #require(store.table(.project).column("tags"))
        let lists = column.lists
        #expect(lists.allSatisfy { $0.isEmpty })
        #expect(store.loadFailure?.contains("projects.tags: bad list") == true)
    }

    /// FuzzColumnCache/row-count-far-beyond-the-data: a set's row count in the directory far above what
    /// its columns hold made every damaged column a gigabyte array of none (a timeout, then no memory).
    @Test func aRowCountBeyondTheDataIsDamage() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try cachedDemo(dir)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let entry = ColumnCacheFormat.headerSize + EntityKind.milestone.rawValue * ColumnCacheFormat.entrySize + 8
        try patch(cache, at: entry, [0, 0, 0, 0x70, 0, 0, 0, 0])
        let store = try ws.loadStore()
        #expect(store.table(.milestone).count == 0)
        #expect(store.loadFailure?.contains("milestones.id:") == true)
        #expect(store.loadFailure?.contains("rows") == true)
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
                           for i in e..<(e + 8) { b[i] = 0x7f } }] {
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
