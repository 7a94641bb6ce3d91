// How SQLite is asked to open a workspace that pmo only reads (queries, exports, `pmo runs`).
// A read-only query must work on a workspace pmo may not write (a 0444 file, a folder it cannot
// write) and must leave nothing behind: an SQLite connection opened read-only on a WAL database
// creates `-wal` and `-shm` files with the workspace's mode and, being read-only, never removes
// them, so a query on a 0444 file used to leave 0444 files that blocked every later write.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB
import PMOBase

enum ReadOnlyOpen: Equatable {
    /// A workspace pmo could write: opened read-write (the `Workspace` refuses every write), so that
    /// SQLite's last connection checkpoints and removes the `-wal` and `-shm` it created.
    case readWrite(String)
    /// A workspace pmo may not write, no write in progress: `immutable=1`, no file is created.
    case immutable(String)
    /// A workspace pmo may not write while a `-wal` or `-shm` is beside it (a writer is at work, or
    /// a killed one left it): SQLite's read-only mode, which reads the WAL.
    case sqliteReadOnly(String)

    /// The name given to SQLite (a `file:` URI for immutable).
    var name: String {
        switch self {
        case .readWrite(let p), .sqliteReadOnly(let p): return p
        case .immutable(let p): return ReadOnlyOpen.uri(p) + "?immutable=1"
        }
    }

    /// Whether the connection itself is opened read-only.
    var sqliteReadOnly: Bool { if case .readWrite = self { return false } else { return true } }

    static func choose(_ path: String) -> ReadOnlyOpen {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let companions = [path + "-wal", path + "-shm"]
        let busy = companions.contains { Workspace.lstatExists($0) }
        // Write bits in the mode count too: root may write a 0444 file, but its owner may not, and
        // files created beside it would keep that mode.
        var st = stat()
        let modeWritable = stat(path, &st) == 0 && (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0
        let writable = modeWritable && access(path, W_OK) == 0 && access(dir, W_OK) == 0
            && companions.allSatisfy { !Workspace.lstatExists($0) || access($0, W_OK) == 0 }
        if writable { return .readWrite(path) }
        return busy ? .sqliteReadOnly(path) : .immutable(path)
    }

    /// `path` as an SQLite URI: `%`, `?`, `#` and bytes beyond ASCII escaped.
    static func uri(_ path: String) -> String {
        var escaped = ""
        for u in path.utf8 {
            switch u {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0x80...0xFF, 0...0x1F:
                escaped += "%" + (u < 16 ? "0" : "") + String(u, radix: 16, uppercase: true)
            default: escaped += String(UnicodeScalar(u))
            }
        }
        while escaped.hasPrefix("//") { escaped.removeFirst() }
        return "file:" + escaped
    }

    /// The largest workspace a read-only open upgrades in memory (a copy of every page).
    static let maxUpgradeBytes: Int64 = 512 << 20

    /// A workspace written by an older pmo, read without changing it: its pages are copied into an
    /// in-memory database, which is migrated as a write would migrate the file. The journal of a
    /// workspace from before the journal starts on `journalDay` (today when nil), as a write would.
    static func upgradedCopy(of queue: DatabaseQueue, path: String, journalDay: Day?) throws -> DatabaseQueue {
        var st = stat()
        let size = stat(path, &st) == 0 ? Int64(st.st_size) : 0
        guard size <= maxUpgradeBytes else {
            throw WorkspaceError(.incompatible,
                "workspace '\(path)' was written by an older pmo and is too large (\(size >> 20) MB) to be upgraded in memory for a "
                + "read-only query: upgrade it once by opening it for writing, as a user who may write it (any `pmo import`, "
                + "or `pmo run SCRIPT --workspace \(path)`)")
        }
        var c = Workspace.configuration(readOnly: false)
        c.label = "pmo-workspace-upgraded-copy"
        let copy = try DatabaseQueue(configuration: c)
        try queue.backup(to: copy)
        try WorkspaceSchema.migrator.migrate(copy)
        try copy.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                           arguments: [String(WorkspaceSchema.version)])
            try db.execute(sql: "PRAGMA user_version = \(WorkspaceSchema.version)")
            try Journal.begin(db, day: journalDay ?? Journal.today(), stamp: .now(by: "pmo"))
        }
        return copy
    }
}
