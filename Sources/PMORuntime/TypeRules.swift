// Static unit rules: the type of `a op b`, or the reason it is an error.
import PMOSyntax

/// Static counterparts of `Arithmetic` and `Comparison`: used by the checker to reject
/// `money + hours`, `date + money` or money of two currencies before anything runs.
enum TypeRules {
    /// The result type of an arithmetic operator, or an error message with an optional hint.
    static func arithmetic(_ op: BinaryOp, _ a: VType, _ b: VType) -> Result<VType, UnitError> {
        if a == .any || b == .any { return .success(guessAny(op, a, b)) }
        let sym = op.rawValue
        switch op {
        case .add, .sub:
            switch (a, b) {
            case (.int, .int): return .success(.int)
            case (.money(let c), .money(let d)):
                return c == d ? .success(a) : .failure(UnitError("cannot \(op == .add ? "add" : "subtract") money in \(c) and \(d) without an exchange rate"))
            case (.percent, .percent): return .success(.percent)
            case (.hours, .hours): return .success(.hours)
            case (.date, .duration): return .success(.date)
            case (.duration, .date) where op == .add: return .success(.date)
            case (.date, .date) where op == .sub: return .success(.duration)
            case (.duration, .duration): return .success(.duration)
            case (.string, .string) where op == .add: return .success(.string)
            case (.date, .int), (.date, .real):
                return .failure(UnitError("cannot \(op == .add ? "add" : "subtract") \(b) \(op == .add ? "to" : "from") a date", hint: "write a duration such as 30d, 2w or 3mo"))
            case (.money, let n) where n.isNumeric, (let n, .money) where n.isNumeric:
                return .failure(UnitError("cannot apply '\(sym)' to \(a) and \(b)", hint: "give the number a currency, such as $100"))
            default:
                if a.isNumeric && b.isNumeric { return .success(a == .percent && b == .percent ? .percent : .real) }
                return .failure(UnitError("cannot apply '\(sym)' to \(a) and \(b)"))
            }
        case .mul:
            switch (a, b) {
            case (.int, .int): return .success(.int)
            case (.money, .money): return .failure(UnitError("cannot multiply money by money"))
            case (.money, let n) where n.isNumeric: return .success(a)
            case (let n, .money) where n.isNumeric: return .success(b)
            case (.hours, .money): return .success(b)
            case (.money, .hours): return .success(a)
            case (.hours, let n) where n.isNumeric: return .success(.hours)
            case (let n, .hours) where n.isNumeric: return .success(.hours)
            case (.percent, let n) where n.isNumeric: return .success(.percent)
            case (let n, .percent) where n.isNumeric: return .success(.percent)
            case (.duration, .int), (.int, .duration): return .success(.duration)
            default:
                if a.isNumeric && b.isNumeric { return .success(.real) }
                return .failure(UnitError("cannot apply '*' to \(a) and \(b)"))
            }
        case .div:
            if case .list = b {
                return arithmetic(.div, a, .int)
            }
            switch (a, b) {
            case (.money(let c), .money(let d)):
                return c == d ? .success(.real) : .failure(UnitError("cannot divide money in \(c) by money in \(d) without an exchange rate"))
            case (.hours, .hours): return .success(.real)
            case (.money, .hours): return .success(a)
            case (.money, let n) where n.isNumeric: return .success(a)
            case (.hours, let n) where n.isNumeric: return .success(.hours)
            case (.percent, .percent): return .success(.real)
            case (.percent, let n) where n.isNumeric: return .success(.percent)
            case (.duration, .duration): return .success(.real)
            default:
                if a.isNumeric && b.isNumeric { return .success(.real) }
                return .failure(UnitError("cannot divide \(a) by \(b)"))
            }
        default:
            return .failure(UnitError("'\(sym)' is not an arithmetic operator"))
        }
    }

    /// A best guess when one side is only known at run time.
    static func guessAny(_ op: BinaryOp, _ a: VType, _ b: VType) -> VType {
        let known = a == .any ? b : a
        switch known {
        case .money, .hours, .duration, .percent: return op == .div && a == .any ? .any : known
        default: return .any
        }
    }

    /// Whether `a` and `b` may be compared with `op`; an error message otherwise.
    static func comparable(_ op: BinaryOp, _ a: VType, _ b: VType) -> UnitError? {
        if a == .any || b == .any { return nil }
        let ordering = op != .eq && op != .ne
        switch (a, b) {
        case (.money(let c), .money(let d)):
            return c == d ? nil : UnitError("cannot compare money in \(c) with money in \(d)")
        case (.money, let n) where n == .int || n == .real: return nil
        case (let n, .money) where n == .int || n == .real: return nil
        case (.hours, .hours): return nil
        case (.hours, let n) where n.isNumeric, (let n, .hours) where n.isNumeric: return nil
        case (.date, .date), (.period, .period), (.duration, .duration), (.string, .string), (.bool, .bool):
            if case .bool = a, ordering { return UnitError("cannot order bools with '\(op.rawValue)'") }
            return nil
        case (.date, .period), (.period, .date):
            return UnitError("cannot compare a date with a period", hint: "use the period's .start or .end, or 'between'")
        case (.enumeration(let e), .enumeration(let f)):
            return e == f ? nil : UnitError("cannot compare \(e.name) with \(f.name)")
        case (.entity(let k), .entity(let l)):
            if k != l { return UnitError("cannot compare a \(k.singular) with a \(l.singular)") }
            return ordering ? UnitError("cannot order \(k.setName) with '\(op.rawValue)'") : nil
        case (.date, .string), (.string, .date):
            return UnitError("cannot compare \(a) with \(b)", hint: "a date is written without quotes, as in start > 2026-01-01")
        case (.date, let n) where n.isNumeric, (let n, .date) where n.isNumeric:
            return UnitError("cannot compare \(a) with \(b)", hint: "a date is written YYYY-MM-DD, as in start > 2026-01-01")
        default:
            if a.isNumeric && b.isNumeric { return nil }
            return UnitError("cannot compare \(a) with \(b)")
        }
    }

    /// For an entity compared with a text (`manager = "Daniel Kim"`): compare its name instead.
    static func personByName(_ side: Expr, _ type: VType, _ other: VType) -> String? {
        guard case .entity = type, case .string = other else { return nil }
        let field: String
        switch side.kind {
        case .name(let n): field = n
        case .member(_, let n): field = n.text
        default: return nil
        }
        return "compare its name (or id): \(field).name = \"...\""
    }
}

/// A unit or type error found by the checker, with an optional fix.
struct UnitError: Error {
    var message: String
    var hint: String?
    init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
}
