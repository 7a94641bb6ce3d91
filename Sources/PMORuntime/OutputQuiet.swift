// What `--quiet` leaves out: outputs with nothing to act on, so that a cron job whose script found
// nothing prints nothing and cron sends no mail.
import PMOBase

extension Output {
    /// False for an output that tells nobody to do anything: a table without rows, an empty text, or
    /// a value that is none, false, zero or empty (`count(...)` of nothing), findings that are all
    /// passes or waived. Everything else (a table with rows, `print` text, a non-zero value, a
    /// violation) is something to act on.
    public var hasSomethingToActOn: Bool {
        switch self {
        case .table(let t): return !t.rows.isEmpty
        case .scalar(let v): return Output.isSignificant(v)
        case .text(let s): return !s.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" }
        case .export: return false
        case .findings(let found): return found.contains { $0.needsAction }
        case .chart: return true
        // Headings only matter with something under them (the sink holds them until then).
        case .reportTitle, .section: return false
        }
    }

    public static func isSignificant(_ v: Value) -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .real(let d): return d != 0 && !d.isNaN
        case .money(let f, _), .percent(let f), .hours(let f): return f.units != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .rows(_, let r): return !r.isEmpty
        case .table(let t): return !t.rows.isEmpty
        case .record(let r): return !r.isEmpty
        case .date, .duration, .period, .enumeration, .entity: return true
        }
    }
}
