// The unit table: operator × unit × unit → unit, or the reason the combination is refused. The one
// structure the checker (TypeRules.arithmetic) and the evaluator (Arithmetic.apply) both consult.
import PMOSyntax

/// The units arithmetic distinguishes (money's currency is checked separately: same currency only).
enum Unit: Int, CaseIterable, Sendable {
    case integer, number, percentage, hours, money, date, duration, period, text, bool, list, other

    init(_ t: VType) {
        switch t {
        case .int: self = .integer
        case .real: self = .number
        case .percent: self = .percentage
        case .hours: self = .hours
        case .money: self = .money
        case .date: self = .date
        case .duration: self = .duration
        case .period: self = .period
        case .string: self = .text
        case .bool: self = .bool
        case .list: self = .list
        default: self = .other
        }
    }

    init(_ v: Value) {
        switch v {
        case .int: self = .integer
        case .real: self = .number
        case .percent: self = .percentage
        case .hours: self = .hours
        case .money: self = .money
        case .date: self = .date
        case .duration: self = .duration
        case .period: self = .period
        case .string: self = .text
        case .bool: self = .bool
        case .list: self = .list
        default: self = .other
        }
    }

    /// How many units there are (`allCases.count` without building the array on every operation).
    static let count = Unit.allCases.count

    var isPlainNumber: Bool { self == .integer || self == .number || self == .percentage }
}

/// What the table says about `a op b`.
enum UnitOutcome: Equatable, Sendable {
    /// Accepted; the result has this unit (`money` keeps the operands' currency).
    case result(Unit)
    /// Refused, with the message and an optional hint (the checker's error; the evaluator throws it too).
    case refused(String, hint: String?)
}

enum UnitTable {
    static let operators: [BinaryOp] = [.add, .sub, .mul, .div]

    /// The accepted rows, as grammar.md "Units" lists them: (operators, left, right, result).
    static let rows: [(ops: [BinaryOp], left: Unit, right: Unit, result: Unit)] = {
        var r: [([BinaryOp], Unit, Unit, Unit)] = [
            ([.add, .sub, .mul], .integer, .integer, .integer),
            ([.div], .integer, .integer, .number),
            ([.add, .sub], .money, .money, .money),
            ([.div], .money, .money, .number),
            ([.mul], .money, .hours, .money), ([.mul], .hours, .money, .money),
            ([.div], .money, .hours, .money),
            ([.add, .sub], .hours, .hours, .hours),
            ([.div], .hours, .hours, .number),
            ([.add, .sub, .mul], .percentage, .percentage, .percentage),
            ([.div], .percentage, .percentage, .number),
            ([.add, .sub], .date, .duration, .date), ([.add], .duration, .date, .date),
            ([.sub], .date, .date, .duration),
            ([.add, .sub], .duration, .duration, .duration),
            ([.div], .duration, .duration, .number),
            ([.mul], .duration, .integer, .duration), ([.mul], .integer, .duration, .duration),
            ([.add], .text, .text, .text),
        ]
        for n in [Unit.integer, .number, .percentage] {
            r.append(([.mul, .div], .money, n, .money)); r.append(([.mul], n, .money, .money))
            r.append(([.mul, .div], .hours, n, .hours)); r.append(([.mul], n, .hours, .hours))
            for m in [Unit.integer, .number, .percentage] where !(n == .integer && m == .integer) && !(n == .percentage && m == .percentage) {
                let percent = n == .percentage || m == .percentage
                r.append(([.add, .sub], n, m, .number))
                r.append(([.mul], n, m, percent ? .percentage : .number))
                r.append(([.div], n, m, n == .percentage ? .percentage : .number))
            }
        }
        return r.map { (ops: $0.0, left: $0.1, right: $0.2, result: $0.3) }
    }()

    /// The rows as a flat array indexed by operator, left and right unit (-1: refused), read on every
    /// arithmetic operation the evaluator does.
    static let table: [Int8] = {
        let n = Unit.allCases.count
        var t = [Int8](repeating: -1, count: operators.count * n * n)
        for row in rows {
            for op in row.ops {
                guard let o = operators.firstIndex(of: op) else { continue }
                t[(o * n + row.left.rawValue) * n + row.right.rawValue] = Int8(row.result.rawValue)
            }
        }
        return t
    }()

    static func lookup(_ op: BinaryOp, _ a: Unit, _ b: Unit) -> Unit? {
        let o: Int
        switch op {
        case .add: o = 0
        case .sub: o = 1
        case .mul: o = 2
        case .div: o = 3
        default: return nil
        }
        let n = Unit.count
        let r = table[(o * n + a.rawValue) * n + b.rawValue]
        return r < 0 ? nil : Unit(rawValue: Int(r))
    }

    /// The outcome of `a op b` for two units. A list as divisor counts its elements
    /// (`ac / weeks(start, today)` is a weekly burn), so `x / list` is `x / integer`.
    /// `names` spell the operands in the message (the checker's `money (USD)`); else the units' names.
    static func outcome(_ op: BinaryOp, _ a: Unit, _ b: Unit, names: (String, String)? = nil) -> UnitOutcome {
        if op == .div && b == .list { return outcome(op, a, .integer, names: names) }
        if let u = lookup(op, a, b) { return .result(u) }
        return .refused(reason(op, a, b, names ?? (name(a), name(b))), hint: hint(op, a, b))
    }

    static func name(_ u: Unit) -> String {
        switch u {
        case .integer: return "integer"
        case .number: return "number"
        case .percentage: return "percentage"
        case .hours: return "hours"
        case .money: return "money"
        case .date: return "date"
        case .duration: return "duration"
        case .period: return "period"
        case .text: return "text"
        case .bool: return "bool"
        case .list: return "a list"
        case .other: return "this value"
        }
    }

    /// Why a combination is refused: the table's reason (grammar.md "Errors the checker reports").
    static func reason(_ op: BinaryOp, _ a: Unit, _ b: Unit, _ names: (String, String)) -> String {
        let verb = op == .add ? "add" : "subtract"
        switch (op, a, b) {
        case (.add, .date, .integer), (.add, .date, .number), (.sub, .date, .integer), (.sub, .date, .number):
            return "cannot \(verb) \(names.1) \(op == .add ? "to" : "from") a date"
        case (.mul, .money, .money): return "cannot multiply money by money"
        case (.mul, .hours, .hours): return "cannot multiply hours by hours"
        case (.div, _, _): return "cannot divide \(names.0) by \(names.1)"
        default: return "cannot apply '\(op.rawValue)' to \(names.0) and \(names.1)"
        }
    }

    static func hint(_ op: BinaryOp, _ a: Unit, _ b: Unit) -> String? {
        switch (a, b) {
        case (.date, .integer), (.date, .number): return "write a duration such as 30d, 2w or 3mo"
        case (.money, let n) where n.isPlainNumber && (op == .add || op == .sub),
             (let n, .money) where n.isPlainNumber && (op == .add || op == .sub):
            return "give the number a currency, such as $100"
        default: return nil
        }
    }

    /// grammar.md's "Units" table, generated from the rows (a test keeps grammar.md equal to it).
    static var markdown: String {
        var lines = ["| left | op | right | result |", "|---|---|---|---|"]
        for row in rows {
            let ops = row.ops.map { "`\($0.rawValue)`" }.joined(separator: " ")
            lines.append("| \(name(row.left)) | \(ops) | \(name(row.right)) | \(name(row.result)) |")
        }
        return lines.joined(separator: "\n")
    }
}
