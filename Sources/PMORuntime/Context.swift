// The evaluation context: the current row at each scope level, locals, the as-of date and budgets.
import PMOBase
import Portfolio

/// A compiled expression: reads the context, returns a value.
typealias Eval = (Ctx) throws -> Value

/// Rows flowing through a pipeline: entity rows (`rows`) and/or computed columns (`data`, column-major).
final class Relation {
    let kind: EntityKind?
    var rows: [Int32]
    var count: Int
    var data: [[Value]]
    /// For a grouped relation: member indexes of each group, in first-seen order.
    var groups: [[Int]]?
    /// Notes for the table these rows become (the shared scale of `trend` columns).
    var notes: [String] = []

    init(kind: EntityKind?, rows: [Int32], count: Int, data: [[Value]]) {
        self.kind = kind; self.rows = rows; self.count = count; self.data = data
    }

    static func entities(_ k: EntityKind, _ rows: [Int32]) -> Relation {
        Relation(kind: k, rows: rows, count: rows.count, data: [])
    }

    /// A new relation holding the rows at `indexes` (in that order).
    func select(_ indexes: [Int]) -> Relation {
        let r = Relation(kind: kind, rows: kind == nil ? [] : indexes.map { rows[$0] }, count: indexes.count,
                         data: data.map { col in indexes.map { col[$0] } })
        r.notes = notes
        return r
    }
}

/// Mutable state of one evaluation. Scope levels are addressed relative to `base`, so a function
/// body compiled once can run under any caller.
final class Ctx {
    let store: PortfolioStore
    var asOf: Day
    /// Current entity row per scope level (-1 when the level has no entity).
    var entityRows: [Int32] = Array(repeating: -1, count: 64)
    /// Current index into `rels[level]` per scope level.
    var relRows: [Int] = Array(repeating: 0, count: 64)
    var rels: [Relation?] = Array(repeating: nil, count: 64)
    /// Members of the current group per level (for aggregates inside `select` after `group by`).
    var groups: [[Int]?] = Array(repeating: nil, count: 64)
    var base = 0
    /// Arguments of the user function being evaluated.
    var locals: [Value] = []
    /// Values of `let` bindings, by slot.
    var globals: [Value] = []
    /// The journal, read on first use by `was`, `changed` and `at` (nil without one).
    var journalSource: (() throws -> JournalIndex?)?
    func journalIndex() throws -> JournalIndex? { try journalSource?() }
    /// Whether the portfolio as it stood at the end of a day differs from the one this context reads
    /// (an `as of` stage the statement cannot run in the past refuses then); nil: it never does.
    var travelCheck: ((Day) throws -> Bool)?
    var steps = 0
    let maxSteps: Int
    /// The size cap of intermediate results (`EngineOptions.maxRows`; see Limits.swift).
    var maxRows = Int.max
    var callDepth = 0
    /// Memoised earned value per project row, valid for `evmMemoAsOf`.
    var evmMemo: [EVMFigures?] = []
    var evmMemoAsOf = Day(raw: Int32.min)
    /// Built on first use by `capacity` (Vectorised.swift).
    var capacityProfile: CapacityProfile?
    /// The last list of periods `weeks`, `months` or `quarters` built, and its arguments.
    var periodListMemo: (kind: Period.Kind, from: Day, to: Day, limit: Int, list: Value)?
    static let maxCallDepth = 200

    init(store: PortfolioStore, asOf: Day, maxSteps: Int) {
        self.store = store; self.asOf = asOf; self.maxSteps = maxSteps
    }

    /// Makes sure `base + level` is addressable.
    @inline(__always) func ensure(_ level: Int) {
        while base + level >= entityRows.count {
            entityRows.append(-1); relRows.append(0); rels.append(nil); groups.append(nil)
        }
    }

    /// Sets the current row of a level to index `i` of `rel`.
    @inline(__always) func bind(_ level: Int, _ rel: Relation, _ i: Int) {
        let l = base + level
        relRows[l] = i
        entityRows[l] = rel.kind == nil ? -1 : rel.rows[i]
    }

    /// Counts work; throws when the step budget is spent (a runaway script stops with exit 70).
    @inline(__always) func tick(_ n: Int = 1, at span: PMOSyntaxSpan) throws {
        let before = steps
        steps &+= n
        if before >> 12 != steps >> 12, let cancelled = EngineOptions.isCancelled, cancelled() {
            throw RuntimeError("interrupted", at: span)
        }
        if steps > maxSteps {
            throw RuntimeError("step budget exhausted after \(maxSteps) steps; the script does too much work (raise it with --max-steps)", at: span)
        }
    }
}

extension EngineOptions {
    /// Set by an interactive host (Ctrl-C): polled every 4096 steps; when it returns true the run
    /// stops with the runtime error "interrupted".
    nonisolated(unsafe) public static var isCancelled: (@Sendable () -> Bool)?
}

import PMOSyntax
typealias PMOSyntaxSpan = Span
