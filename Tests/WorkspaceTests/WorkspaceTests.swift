// Creating, opening and refusing workspaces; the store round trip; read-only opens.
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct WorkspaceTests {
    @Test func createRecordsTheSchemaAndOpensAgain() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("p.db")
        let ws = try Workspace.create(path: path)
        #expect(try ws.schemaVersion() == WorkspaceSchema.version)
        #expect(try ws.counts().values.allSatisfy { $0 == 0 })
        let applied = try ws.read { db in try WorkspaceSchema.migrator.appliedIdentifiers(db) }
        #expect(applied.contains("v1"))
        #expect(try ws.read { db in try WorkspaceSchema.migrator.hasCompletedMigrations(db) })
        let journal = try ws.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        try ws.close()
        let again = try Workspace.open(path: path, readOnly: false)
        #expect(try again.schemaVersion() == 1)
        let ro = try Workspace.open(path: path, readOnly: true)
        let demo = try PortfolioLoader.load(directory: Paths.demo)
        #expect(failure { () throws(WorkspaceError) in try ro.importStore(demo, replace: true) }?.kind == .cannotWrite)
    }

    @Test func createNeverOverwrites() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("taken.db", "precious")
        #expect(failure { () throws(WorkspaceError) in try Workspace.create(path: dir.file("taken.db")) }?.kind == .exists)
        #expect(dir.read("taken.db") == "precious")
        #expect(failure { () throws(WorkspaceError) in try Workspace.initialize(path: dir.file("taken.db"), importing: nil) }?.kind == .exists)
        #expect(dir.read("taken.db") == "precious")
    }

    @Test func initializeIsWholeOrNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let counts = try Workspace.initialize(path: dir.file("w.db"), importing: ImportRequest(paths: [Paths.demo]))
        #expect(counts[.project] == 37)
        try dir.write("bad/projects.csv", "id,name,bac\nPRJ-1,One,12x\n")
        let e = failure { () throws(WorkspaceError) in
            try Workspace.initialize(path: dir.file("x.db"), importing: ImportRequest(paths: [dir.file("bad")]))
        }
        #expect(e?.kind == .badData)
        #expect(e?.location?.line == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.db")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("pmo-init") }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesFilesThatAreNotWorkspaces() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        #expect(failure { () throws(WorkspaceError) in try Workspace.open(path: dir.file("none.db"), readOnly: true) }?.kind == .missing)
        try dir.write("text.db", String(repeating: "not a database at all\n", count: 100))
        #expect(failure { () throws(WorkspaceError) in try Workspace.open(path: dir.file("text.db"), readOnly: true) }?.kind == .notWorkspace)
        #expect(failure { () throws(WorkspaceError) in try Workspace.open(path: dir.file("text.db"), readOnly: false) }?.kind == .notWorkspace)
        // Another application's SQLite database is left untouched, even opened for writing.
        let other = dir.file("other.db")
        let q = try DatabaseQueue(path: other)
        try q.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')") }
        try q.close()
        let before = bytes(other)
        let e = failure { () throws(WorkspaceError) in try Workspace.open(path: other, readOnly: false) }
        #expect(e?.kind == .notWorkspace)
        #expect(e?.message.contains("not a pmo workspace") == true)
        let unchanged = bytes(other) == before
        #expect(unchanged, "another application's database was changed")
    }

    @Test func refusesAWorkspaceFromANewerPmo() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("new.db")
        let ws = try Workspace.create(path: path)
        _ = try ws.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-a-later-pmo')") }
        try ws.close()
        for ro in [true, false] {
            let e = failure { () throws(WorkspaceError) in try Workspace.open(path: path, readOnly: ro) }
            #expect(e?.kind == .incompatible)
            #expect(e?.message.contains("newer pmo") == true)
        }
    }

    @Test func demoRoundTripsThroughAWorkspace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let demo = try PortfolioLoader.load(directory: Paths.demo)
        let ws = try Workspace.create(path: dir.file("p.db"))
        let summary = try ws.importStore(demo, replace: true)
        #expect(summary.inserted[.project] == demo.table(.project).count)
        let back = try ws.loadStore()
        #expect(snapshot(back) == snapshot(demo))
        for k in EntityKind.allCases { #expect(back.table(k).count == demo.table(k).count, "\(k.setName)") }
        // The indexes the queries use are rebuilt the same way.
        let p = try #require(back.find(.project, key: "PRJ-0001"))
        #expect(back.find(.project, key: "SAP S/4HANA Finance Rollout") == p)
        let rels = back.table(.project).schema.toMany
        for (i, _) in rels.enumerated() {
            #expect(Array(back.related(.project, relationship: i, row: p)) == Array(demo.related(.project, relationship: i, row: p)))
        }
        #expect(back.statusByProject.rows == demo.statusByProject.rows)
        #expect(back.timesheetsByProject.rows == demo.timesheetsByProject.rows)
        #expect(back.statusDate == demo.statusDate)
        // Importing the files instead of the store gives the same portfolio.
        let viaFiles = try demoWorkspace(dir)
        #expect(snapshot(try viaFiles.loadStore()) == snapshot(demo))
        // Replacing everything with the same store changes nothing.
        try ws.importStore(back, replace: true)
        #expect(snapshot(try ws.loadStore()) == snapshot(demo))
    }

    @Test func readOnlyOpenNeverChangesTheFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("demo.db")
        try demoWorkspace(dir).close()
        let before = bytes(path), mtime = modificationTime(path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        for _ in 0..<2 {
            let ws = try Workspace.open(path: path, readOnly: true)
            let store = try ws.loadStore()
            #expect(store.table(.project).count == 37)
            _ = try ws.counts()
            try ws.close()
        }
        let unchanged = bytes(path) == before
        #expect(unchanged, "the workspace file changed")
        #expect(modificationTime(path) == mtime)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    @Test func loadingChecksWhatAHandEditedFileHolds() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        _ = try ws.write { db in try db.execute(sql: "UPDATE projects SET start = '2026-02-30' WHERE id = 'PRJ-0002'") }
        let e = failure { () throws(WorkspaceError) in try ws.loadStore() }
        #expect(e?.kind == .corrupt)
        #expect(e?.message.contains("project 'PRJ-0002', column start: invalid date '2026-02-30'") == true)
        _ = try ws.write { db in try db.execute(sql: "UPDATE projects SET start = NULL, phase = 'flying' WHERE id = 'PRJ-0002'") }
        #expect(failure { () throws(WorkspaceError) in try ws.loadStore() }?.message.contains("unknown phase value 'flying'") == true)
    }

    @Test func everyModelFieldHasAColumn() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try Workspace.create(path: dir.file("p.db"))
        try ws.read { db in
            for k in EntityKind.allCases {
                let columns = Set(try db.columns(in: k.setName).map(\.name))
                for f in Catalog.schemas[k.rawValue].fields {
                    #expect(columns.contains(f.name), "\(k.setName).\(f.name) has no column in the workspace schema")
                }
                #expect(columns.contains("rid"))
            }
        }
    }

    @Test func settingsAreKept() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let s = try ws.settings()
        #expect(s.currency == "USD")
        #expect(s.statusDate?.description == "2026-11-20")
        try dir.write("s/settings.csv", "key,value\nstatus_date,2026-12-04\ngreen_threshold,0.97\n")
        try ws.importFiles(ImportRequest(paths: [dir.file("s/settings.csv")]))
        let store = try ws.loadStore()
        #expect(store.statusDate?.description == "2026-12-04")
        #expect(store.thresholds.green == 0.97)
        #expect(store.currency == "USD")
    }
}
