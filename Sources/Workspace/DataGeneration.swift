// The workspace's data generation: a number in `meta` that changes whenever the portfolio's data
// does, so that derived files (the column cache) know whether they still describe it. pmo's own
// writes count as one change each; triggers count any other change (an edit with the sqlite3 tool).
// Each change draws a new random number (older workspaces counted 1, 2, 3...): a backup restored
// over the file and changed once more cannot come back to a number a cache was stamped with.
import GRDB
import Portfolio

enum DataGeneration {
    static let key = "data_generation"

    /// The tables whose rows make up the portfolio.
    static var tables: [String] { EntityKind.allCases.map(\.setName) + ["settings"] }

    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("generation-1") { db in
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('\(key)', '1')")
            try createTriggers(db)
        }
    }

    /// The generation, or nil in a workspace that does not count them yet.
    static func read(_ db: Database) throws -> Int64? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = '\(key)'") else { return nil }
        return Int64(text)
    }

    /// Runs `body`, a write of portfolio data inside a transaction, with the triggers off (so that a
    /// million-row import does not bump the number a million times), then counts it as one change.
    static func changing<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard try read(db) != nil else { return try body() }
        try dropTriggers(db)
        let result = try body()
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = '\(key)'", arguments: [String(fresh())])
        try createTriggers(db)
        return result
    }

    /// A new generation: random, positive.
    static func fresh() -> Int64 { Int64.random(in: 1...Int64.max) }

    static func createTriggers(_ db: Database) throws {
        for t in tables {
            for (event, tag) in [("INSERT", "i"), ("UPDATE", "u"), ("DELETE", "d")] {
                try db.execute(sql: """
                    CREATE TRIGGER IF NOT EXISTS "pmo_generation_\(t)_\(tag)" AFTER \(event) ON "\(t)"
                    BEGIN UPDATE meta SET value = CAST((random() & 9223372036854775807) AS TEXT) WHERE key = '\(key)'; END
                    """)
            }
        }
    }

    static func dropTriggers(_ db: Database) throws {
        for t in tables {
            for tag in ["i", "u", "d"] { try db.execute(sql: "DROP TRIGGER IF EXISTS \"pmo_generation_\(t)_\(tag)\"") }
        }
    }
}
