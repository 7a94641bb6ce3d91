// Caps on the size of intermediate results: rows a stage produces, elements of a list, characters
// of a text. The step budget (`Ctx.tick`) bounds time; these bound memory, so a runaway cross
// product or a text doubled in a recursive `def` stops with a clear runtime error (exit 70) long
// before the machine runs out of memory. The cap is `EngineOptions.maxRows` (`--max-rows`).
import PMOSyntax

extension Ctx {
    /// Throws when a result of `count` rows (or list elements) would exceed the cap.
    @inline(__always) func checkRows(_ count: Int, _ what: String, at span: Span) throws {
        if count > maxRows {
            throw RuntimeError("\(what) would produce more than \(maxRows) rows; the result is too large", at: span,
                               help: "narrow the input with 'where' or 'take' first, or raise the limit with --max-rows")
        }
    }

    /// The memory one intermediate result may take, estimated before it is allocated: rows alone do
    /// not bound it (every row of an `expand` copies every column of its input). At most 1 GiB, and
    /// 256 bytes per row of `--max-rows`, so a smaller row cap bounds memory too.
    static let maxResultBytes = 1 << 30
    var memoryBudget: Int { Swift.min(Ctx.maxResultBytes, maxRows.multipliedReportingOverflow(by: 256).overflow ? Ctx.maxResultBytes : maxRows * 256) }

    /// Throws when a result of `rows` rows of `columns` values each would take more than
    /// `maxResultBytes` (estimated from the size of a value), before anything is allocated.
    @inline(__always) func checkMemory(rows: Int, columns: Int, _ what: String, at span: Span) throws {
        let perRow = (columns + 1) * MemoryLayout<Value>.stride + MemoryLayout<Int>.stride
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: perRow)
        let budget = memoryBudget
        if overflow || bytes > budget {
            throw RuntimeError("\(what) would produce \(rows) rows of \(columns + 1) values, more than the \(budget) bytes "
                               + "an intermediate result may take", at: span,
                               help: "narrow the input with 'where' or 'take' first, or select fewer columns before 'expand'")
        }
    }

    /// Throws when a text of `bytes` UTF-8 bytes would exceed the cap.
    @inline(__always) func checkText(_ bytes: Int, at span: Span) throws {
        if bytes > maxRows {
            throw RuntimeError("text of more than \(maxRows) bytes; the result is too large", at: span,
                               help: "raise the limit with --max-rows")
        }
    }

    /// Adds what one value of a stage's result holds (its texts, lists, rows and tables) to `held`,
    /// and throws when the stage's result would hold more than the memory budget. Rows alone do not
    /// bound a result: 5,000 rows each holding a 30 MB text, or a list of every timesheet, take
    /// hundreds of gigabytes while every single value is within its own cap.
    @inline(__always) func account(_ v: Value, _ held: inout Int, _ what: String, at span: Span) throws {
        switch v {
        case .string, .list, .rows, .table, .record: break
        default: return
        }
        held &+= v.heldBytes
        if held > memoryBudget {
            throw RuntimeError("\(what) would hold more than the \(memoryBudget) bytes an intermediate result may take "
                               + "(texts, lists and tables in its rows)", at: span,
                               help: "narrow the input with 'where' or 'take' first, or compute less per row")
        }
    }
}

extension Value {
    /// About how many bytes this value holds beyond its own slot: a text's bytes, a list's elements,
    /// a set's row numbers, a table's cells (nested values included).
    var heldBytes: Int {
        let stride = MemoryLayout<Value>.stride
        switch self {
        case .string(let s): return s.utf8.count
        case .list(let l):
            var n = l.count &* stride
            for v in l { if case .string = v { n &+= v.heldBytes } else if case .list = v { n &+= v.heldBytes } }
            return n
        case .rows(_, let r): return r.count &* 4
        case .table(let t):
            var n = 0
            for row in t.rows { n &+= row.count &* stride; for v in row where v.heldBytes > 0 { n &+= v.heldBytes } }
            return n
        case .record(let r):
            var n = 0
            for (k, v) in r { n &+= k.utf8.count &+ stride &+ v.heldBytes }
            return n
        default: return 0
        }
    }
}
