// Aggregate accumulators: sum, avg, min, max, median, count and list, skipping none values.
import PMOBase
import PMOSyntax

enum AggregateKind: String, CaseIterable {
    case count, sum, avg, min, max, median, list

    /// The result type for values of type `t`.
    func resultType(_ t: VType) -> VType {
        switch self {
        case .count: return .int
        case .sum: return t == .any ? .any : t
        case .avg, .median: return t == .int ? .real : t
        case .min, .max: return t
        case .list: return .list(t)
        }
    }

    /// Whether values of type `t` can be aggregated this way; a message otherwise.
    func check(_ t: VType) -> String? {
        switch self {
        case .count, .list: return nil
        case .sum, .avg, .median:
            switch t {
            case .int, .real, .percent, .money, .hours, .duration, .any: return nil
            default: return "cannot take the \(rawValue) of \(t)"
            }
        case .min, .max:
            switch t {
            case .entity, .rows, .list, .table, .record: return "cannot take the \(rawValue) of \(t)"
            default: return nil
            }
        }
    }

    /// The zero of a sum of type `t` (sum of no values is 0 of the right unit).
    static func zero(_ t: VType) -> Value {
        switch t {
        case .money(let c): return .money(.zero, currency: c)
        case .percent: return .percent(.zero)
        case .hours: return .hours(.zero)
        case .real: return .real(0)
        case .duration: return .duration(Duration())
        default: return .int(0)
        }
    }

    /// Aggregates `values` (none values are skipped).
    func apply(_ values: [Value], type t: VType, at span: Span) throws -> Value {
        let vs = values.filter { !$0.isNone }
        switch self {
        case .count: return .int(Int64(vs.count))
        case .list: return .list(vs)
        case .sum: return try AggregateKind.sum(vs, t, span)
        case .avg:
            if vs.isEmpty { return .none }
            let s = try AggregateKind.sum(vs, t, span)
            if case .int(let i) = s { return .real(Double(i) / Double(vs.count)) }
            return try Arithmetic.div(s, .int(Int64(vs.count)), span)
        case .min, .max:
            var best: Value?
            for v in vs {
                guard let b = best else { best = v; continue }
                let o = Comparison.order(v, b) ?? Comparison.fallback(v, b)
                if (self == .min && o < 0) || (self == .max && o > 0) { best = v }
            }
            return best ?? .none
        case .median:
            if vs.isEmpty { return .none }
            let sorted = vs.sorted { (Comparison.order($0, $1) ?? Comparison.fallback($0, $1)) < 0 }
            let mid = sorted.count / 2
            if sorted.count % 2 == 1 {
                if case .int(let i) = sorted[mid] { return .real(Double(i)) }
                return sorted[mid]
            }
            let s = try Arithmetic.add(sorted[mid - 1], sorted[mid], span)
            if case .int(let i) = s { return .real(Double(i) / 2) }
            return try Arithmetic.div(s, .int(2), span)
        }
    }

    static func sum(_ vs: [Value], _ t: VType, _ span: Span) throws -> Value {
        guard var acc = vs.first else { return zero(t) }
        for v in vs.dropFirst() { acc = try Arithmetic.add(acc, v, span) }
        return acc
    }
}
