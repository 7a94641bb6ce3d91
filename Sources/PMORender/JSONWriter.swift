// Stable, machine-readable JSON: keys in column order, money as amount and currency, none as null.
import PMOBase
import PMORuntime
import Portfolio

/// Writes values and tables as JSON text. A table is an array of objects whose keys follow the
/// column order, one object per line; non-ASCII text stays UTF-8, control characters are escaped.
/// Money is a JSON number written with its exact decimal digits (`12000000.00`, never `1.2e7`)
/// beside its currency: `{"amount": 12000000.00, "currency": "USD"}`, so jq can compare and add it.
/// `compact` keeps everything on one line (JSON Lines).
struct JSONWriter {
    var entityLabel: ((EntityKind, Int32) -> String)?
    var compact = false

    func render(_ t: ResultTable) -> String { table(t, indent: "") + "\n" }

    func table(_ t: ResultTable, indent: String) -> String {
        if t.rows.isEmpty { return "[]" }
        let lines = t.rows.map { row in (compact ? "" : indent + "  ") + object(t, row) }
        if compact { return "[" + lines.joined(separator: ", ") + "]" }
        return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
    }

    /// One row as an object on one line, keys in column order.
    func object(_ t: ResultTable, _ row: [Value]) -> String {
        var members: [String] = []
        for (i, c) in t.columns.enumerated() {
            members.append(JSONWriter.string(c.name) + ": " + value(i < row.count ? row[i] : .none))
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// JSON Lines: one row object per line.
    func lines(_ t: ResultTable) -> String {
        t.rows.map { object(t, $0) + "\n" }.joined()
    }

    /// One value as JSON.
    func value(_ v: Value) -> String {
        switch v {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .real(let d): return JSONWriter.number(d)
        case .money(let f, let currency):
            return "{\"amount\": \(ValueFormatter.moneyAmount(f)), \"currency\": \(JSONWriter.string(currency))}"
        case .percent(let f), .hours(let f): return f.description
        case .date(let d): return "\"\(d.description)\""
        case .duration(let d): return JSONWriter.string(d.description)
        case .period(let p): return JSONWriter.string(p.description)
        case .string(let s): return JSONWriter.string(s)
        case .enumeration, .entity, .rows:
            return JSONWriter.string(ValueFormatter.display(v, entityLabel: entityLabel))
        case .list(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        case .table(let t): return table(t, indent: "  ")
        case .record(let fields):
            let members = fields.keys.sorted().map { JSONWriter.string($0) + ": " + value(fields[$0] ?? .none) }
            return "{" + members.joined(separator: ", ") + "}"
        }
    }

    /// A finite double as a JSON number (shortest round-trip form); NaN and infinities as null.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// A JSON string literal (`Escape.json`).
    static func string(_ s: String) -> String { Escape.json(s) }
}
