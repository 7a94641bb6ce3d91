// Static unit rules: the type of `a op b`, or the reason it is an error.
import PMOSyntax

/// Static counterparts of `Arithmetic` and `Comparison`: used by the checker to reject
/// `money + hours`, `date + money` or money of two currencies before anything runs.
enum TypeRules {
    /// The result type of an arithmetic operator, or an error message with an optional hint: the
    /// unit table's answer (`UnitTable`, which the evaluator consults too), plus the currency rule.
    static func arithmetic(_ op: BinaryOp, _ a: VType, _ b: VType) -> Result<VType, UnitError> {
        if a == .any || b == .any { return .success(guessAny(op, a, b)) }
        guard UnitTable.operators.contains(op) else { return .failure(UnitError("'\(op.rawValue)' is not an arithmetic operator")) }
        switch UnitTable.outcome(op, Unit(a), Unit(b), names: ("\(a)", "\(b)")) {
        case .refused(let message, let hint): return .failure(UnitError(message, hint: hint))
        case .result(let u):
            if case .money(let c) = a, case .money(let d) = b, c != d {
                switch op {
                case .div: return .failure(UnitError("cannot divide money in \(c) by money in \(d) without an exchange rate"))
                default: return .failure(UnitError("cannot \(op == .add ? "add" : "subtract") money in \(c) and \(d) without an exchange rate"))
                }
            }
            return .success(type(u, a, b))
        }
    }

    /// The static type of a result unit (money keeps its operand's currency).
    static func type(_ u: Unit, _ a: VType, _ b: VType) -> VType {
        switch u {
        case .integer: return .int
        case .number: return .real
        case .percentage: return .percent
        case .hours: return .hours
        case .money:
            if case .money = a { return a }
            return b
        case .date: return .date
        case .duration: return .duration
        case .period: return .period
        case .text: return .string
        case .bool: return .bool
        case .list, .other: return .any
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
