// What a derived file (the column cache) needs to know that it still describes this workspace: a
// random identity stored in the workspace's `meta` (made once, copied along with the file), the
// identity of the file itself (device and inode: a copy, a restored backup, a file re-created under
// the same name or reached through another symbolic link is another file), and the data generation
// (DataGeneration.swift), a random number replaced by every change of the data.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB

enum WorkspaceIdentity {
    static let key = "workspace_id"

    /// Gives a workspace its identity and the generation triggers their current form; run by every
    /// open for writing (a read-only open leaves an older workspace as it is and still reads it).
    static func ensure(_ db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('\(key)', lower(hex(randomblob(16))))")
        guard try DataGeneration.read(db) != nil else { return }
        let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'pmo_generation_%' LIMIT 1")
        if sql?.contains("random()") != true {
            try DataGeneration.dropTriggers(db)
            try DataGeneration.createTriggers(db)
        }
    }

    /// Whether `ensure` has anything to do (checked by a read, so that opening a workspace for
    /// writing does not wait for another writer when nothing needs to change).
    static func needsUpdate(_ db: Database) throws -> Bool {
        if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = '\(key)'") == nil { return true }
        guard try DataGeneration.read(db) != nil else { return false }
        let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'pmo_generation_%' LIMIT 1")
        return sql?.contains("random()") != true
    }

    /// A 64-bit digest of the workspace's identity (0 for a workspace that has none yet).
    static func read(_ db: Database) throws -> UInt64 {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = '\(key)'") else { return 0 }
        return XXH64.hash(Array(text.utf8), seed: 0x504D_4F57)
    }

    /// The device and inode of the file at `path` (after symbolic links), or nil.
    static func file(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (UInt64(truncatingIfNeeded: st.st_dev), UInt64(truncatingIfNeeded: st.st_ino))
    }
}

/// Everything a column cache is stamped with; a cache is read only when all of it matches.
struct CacheStamp: Equatable {
    var generation: Int64
    var workspace: UInt64
    var device: UInt64
    var inode: UInt64
}
