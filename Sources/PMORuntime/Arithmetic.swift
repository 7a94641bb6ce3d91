// Arithmetic with units at run time: checked integers, exact money and percentages, none propagation.
import PMOBase
import PMOSyntax

/// Arithmetic on values. `none` in, `none` out; a zero divisor gives `none`; overflow and unit
/// mismatches throw (the checker catches unit mismatches earlier whenever types are known).
enum Arithmetic {
    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value, at span: Span) throws -> Value {
        if a.isNone || b.isNone { return .none }
        // The unit table decides, as it does for the checker: a refused combination is refused here
        // with the same reason (it can only arrive when a side's type was unknown to the checker).
        if case .refused(let message, _) = UnitTable.outcome(op, Unit(a), Unit(b)) { throw RuntimeError(message, at: span) }
        switch op {
        case .add: return try add(a, b, span)
        case .sub: return try sub(a, b, span)
        case .mul: return try mul(a, b, span)
        case .div: return try div(a, b, span)
        default: throw RuntimeError("operator '\(op.rawValue)' is not arithmetic", at: span)
        }
    }

    static func overflow(_ op: String, _ span: Span) -> RuntimeError {
        RuntimeError("arithmetic overflow in '\(op)': the result does not fit in 64 bits", at: span)
    }

    static func durationOverflow(_ op: String, _ span: Span) -> RuntimeError {
        RuntimeError("arithmetic overflow in '\(op)': a duration's days, months and business days must each fit in 32 bits", at: span)
    }

    static func mismatch(_ op: String, _ a: Value, _ b: Value, _ span: Span) -> RuntimeError {
        RuntimeError("cannot apply '\(op)' to \(a.typeName) and \(b.typeName)", at: span)
    }

    static func fixed(_ f: Fixed?, _ op: String, _ span: Span) throws -> Fixed {
        guard let f else { throw overflow(op, span) }
        return f
    }

    static func add(_ a: Value, _ b: Value, _ s: Span) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("+", s) }
            return .int(r)
        case (.money(let x, let c), .money(let y, let d)):
            guard c == d else { throw RuntimeError("cannot add money in \(c) and \(d) without an exchange rate", at: s) }
            return .money(try fixed(x.adding(y), "+", s), currency: c)
        case (.percent(let x), .percent(let y)): return .percent(try fixed(x.adding(y), "+", s))
        case (.hours(let x), .hours(let y)): return .hours(try fixed(x.adding(y), "+", s))
        case (.date(let d), .duration(let u)), (.duration(let u), .date(let d)):
            guard let r = u.added(to: d) else { throw RuntimeError("date out of range (years 1 to 9999)", at: s) }
            return .date(r)
        case (.duration(let x), .duration(let y)):
            guard let r = x.adding(y) else { throw durationOverflow("+", s) }
            return .duration(r)
        case (.string(let x), .string(let y)): return .string(x + y)
        default:
            if let r = exact(a, b, { $0.adding($1) }) { return r }
            if let x = a.number, let y = b.number { return try real(x + y, s) }
            throw mismatch("+", a, b, s)
        }
    }

    static func sub(_ a: Value, _ b: Value, _ s: Span) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("-", s) }
            return .int(r)
        case (.money(let x, let c), .money(let y, let d)):
            guard c == d else { throw RuntimeError("cannot subtract money in \(d) from money in \(c) without an exchange rate", at: s) }
            return .money(try fixed(x.subtracting(y), "-", s), currency: c)
        case (.percent(let x), .percent(let y)): return .percent(try fixed(x.subtracting(y), "-", s))
        case (.hours(let x), .hours(let y)): return .hours(try fixed(x.subtracting(y), "-", s))
        case (.date(let d), .duration(let u)):
            guard let r = u.subtracted(from: d) else { throw RuntimeError("date out of range (years 1 to 9999)", at: s) }
            return .date(r)
        case (.date(let x), .date(let y)):
            guard let r = Duration.between(y, x) else { throw overflow("-", s) }
            return .duration(r)
        case (.duration(let x), .duration(let y)):
            guard let r = x.subtracting(y) else { throw durationOverflow("-", s) }
            return .duration(r)
        default:
            if let r = exact(a, b, { $0.subtracting($1) }) { return r }
            if let x = a.number, let y = b.number { return try real(x - y, s) }
            throw mismatch("-", a, b, s)
        }
    }

    static func mul(_ a: Value, _ b: Value, _ s: Span) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("*", s) }
            return .int(r)
        case (.money(let m, let c), _), (_, .money(let m, let c)):
            let other = a.isMoney ? b : a
            if other.isMoney { throw RuntimeError("cannot multiply money by money", at: s) }
            return .money(try scale(m, by: other, "*", s), currency: c)
        case (.hours(let h), _), (_, .hours(let h)):
            let other = a.isHours ? b : a
            if other.isHours { throw RuntimeError("cannot multiply hours by hours", at: s) }
            return .hours(try scale(h, by: other, "*", s))
        case (.percent(let p), .percent(let q)): return .percent(try fixed(p.multiplied(by: q), "*", s))
        case (.percent(let p), _), (_, .percent(let p)):
            let other = a.isPercent ? b : a
            return .percent(try scale(p, by: other, "*", s))
        case (.duration(let d), .int(let n)), (.int(let n), .duration(let d)):
            guard let r = d.multiplied(byInt: n) else { throw durationOverflow("*", s) }
            return .duration(r)
        default:
            if let r = exact(a, b, { x, y in
                // Exact only when the product needs no more than four decimals.
                let (p, o) = x.units.multipliedReportingOverflow(by: y.units)
                guard !o, p % Fixed.scale == 0 else { return nil }
                return Fixed(units: p / Fixed.scale)
            }) { return r }
            if let x = a.number, let y = b.number { return try real(x * y, s) }
            throw mismatch("*", a, b, s)
        }
    }

    static func div(_ a: Value, _ b: Value, _ s: Span) throws -> Value {
        // A list as a divisor counts its elements (`ac / weeks(start, today)` is a weekly burn).
        if case .list(let l) = b { return try div(a, .int(Int64(l.count)), s) }
        switch (a, b) {
        case (.money(let x, let c), .money(let y, let d)):
            guard c == d else { throw RuntimeError("cannot divide money in \(c) by money in \(d) without an exchange rate", at: s) }
            return y.units == 0 ? .none : .real(Double(x.units) / Double(y.units))
        case (.hours(let x), .hours(let y)):
            return y.units == 0 ? .none : .real(Double(x.units) / Double(y.units))
        case (.money(let m, let c), .hours(let h)):
            guard let r = m.divided(by: h) else { return h.units == 0 ? .none : .money(try fixed(nil, "/", s), currency: c) }
            return .money(r, currency: c)
        case (.money(let m, let c), _):
            guard let r = try unscale(m, by: b, s) else { return .none }
            return .money(r, currency: c)
        case (.hours(let h), _):
            guard let r = try unscale(h, by: b, s) else { return .none }
            return .hours(r)
        case (.percent(let p), .percent(let q)):
            return q.units == 0 ? .none : .real(Double(p.units) / Double(q.units))
        case (.percent(let p), _):
            guard let r = try unscale(p, by: b, s) else { return .none }
            return .percent(r)
        case (.duration(let x), .duration(let y)):
            let d = y.approximateDays
            return d == 0 ? .none : .real(x.approximateDays / d)
        default:
            guard let x = a.number, let y = b.number else { throw mismatch("/", a, b, s) }
            if y == 0 { return .none }
            if let r = exact(a, b, { x, y in
                // Exact only when the quotient has at most four decimals.
                let (n, o) = x.units.multipliedReportingOverflow(by: Fixed.scale)
                guard !o, y.units != 0, n % y.units == 0 else { return nil }
                return Fixed(units: n / y.units)
            }) { return r }
            return try real(x / y, s)
        }
    }

    /// Plain decimals are exact (grammar.md "Exactness"): when both operands are integers, percentages
    /// or numbers that are decimals of at most four digits (every decimal literal, `0.1`), the result is
    /// computed in fixed point and given as the nearest double, so `0.1 + 0.2 = 0.3` is true. Ratios
    /// (CPI 0.857142...) are not such decimals and stay binary floating point. nil: not both exact.
    static func exact(_ a: Value, _ b: Value, _ op: (Fixed, Fixed) -> Fixed?) -> Value? {
        guard let x = exactDecimal(a), let y = exactDecimal(b), let r = op(x, y) else { return nil }
        return .real(r.doubleValue)
    }

    static func exactDecimal(_ v: Value) -> Fixed? {
        switch v {
        case .int(let i): return Fixed(whole: i)
        case .percent(let p): return p
        case .real(let d):
            guard let f = Fixed(d), f.doubleValue == d else { return nil }
            return f
        default: return nil
        }
    }

    /// An exact quantity times a plain number or percentage.
    static func scale(_ f: Fixed, by v: Value, _ op: String, _ s: Span) throws -> Fixed {
        switch v {
        case .int(let n): return try fixed(f.multiplied(byInt: n), op, s)
        case .percent(let p): return try fixed(f.multiplied(by: p), op, s)
        case .hours(let h): return try fixed(f.multiplied(by: h), op, s) // hours × rate is money
        case .real(let d):
            guard let k = Fixed(d) else { throw overflow(op, s) }
            return try fixed(f.multiplied(by: k), op, s)
        default: throw RuntimeError("cannot apply '\(op)' to \(v.typeName) here", at: s)
        }
    }

    /// An exact quantity divided by a plain number or percentage; `nil` for a zero divisor.
    static func unscale(_ f: Fixed, by v: Value, _ s: Span) throws -> Fixed? {
        switch v {
        case .int(let n): return n == 0 ? nil : try fixed(f.divided(byInt: n), "/", s)
        case .percent(let p): return p.units == 0 ? nil : try fixed(f.divided(by: p), "/", s)
        case .real(let d):
            if d == 0 { return nil }
            guard let r = Fixed(f.doubleValue / d) else { throw overflow("/", s) }
            return r
        default: throw RuntimeError("cannot divide by \(v.typeName)", at: s)
        }
    }

    static func real(_ d: Double, _ s: Span) throws -> Value {
        if d.isNaN { return .none }
        if d.isInfinite { throw RuntimeError("arithmetic overflow: the result is too large", at: s) }
        return .real(d)
    }

    static func negate(_ v: Value, at s: Span) throws -> Value {
        switch v {
        case .none: return .none
        case .int(let x):
            if x == .min { throw overflow("-", s) }
            return .int(-x)
        case .real(let d): return .real(-d)
        case .money(let f, let c): return .money(try fixed(f.negated(), "-", s), currency: c)
        case .percent(let f): return .percent(try fixed(f.negated(), "-", s))
        case .hours(let f): return .hours(try fixed(f.negated(), "-", s))
        case .duration(let d):
            guard let r = d.negated() else { throw durationOverflow("-", s) }
            return .duration(r)
        default: throw RuntimeError("cannot negate \(v.typeName)", at: s)
        }
    }
}

extension Value {
    /// The value as a plain number, for integers, reals and percentages.
    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .real(let d): return d
        case .percent(let p): return p.doubleValue
        default: return nil
        }
    }

    var isMoney: Bool { if case .money = self { return true }; return false }
    var isHours: Bool { if case .hours = self { return true }; return false }
    var isPercent: Bool { if case .percent = self { return true }; return false }

    /// How the value's type is named in messages.
    var typeName: String {
        switch self {
        case .none: return "none"
        case .bool: return "a bool"
        case .int: return "an integer"
        case .real: return "a number"
        case .money(_, let c): return "money (\(c))"
        case .percent: return "a percentage"
        case .hours: return "hours"
        case .date: return "a date"
        case .duration: return "a duration"
        case .period: return "a period"
        case .string: return "text"
        case .enumeration(let e, _): return "a \(e.name) value"
        case .entity(let k, _): return "a \(k.singular)"
        case .list: return "a list"
        case .rows(let k, _): return "a set of \(k.setName)"
        case .table: return "a table"
        case .record: return "a record"
        }
    }
}
