// Plain-text display of values for string interpolation, `print` and messages (locale-independent).
import PMOBase
import Portfolio

/// Formats values the same way everywhere: `$1,500,000.00`, `85%`, `0.93`, `2026-11-22`, `2026-Q4`.
public enum Display {
    /// Currency symbols written before the amount; other currencies are written after it (`1,500.00 CHF`).
    public static let symbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"]

    /// Digits after the decimal point for a currency (yen has none).
    public static func currencyDigits(_ code: String) -> Int { code == "JPY" ? 0 : 2 }

    public static func money(_ f: Fixed, _ currency: String, grouping: Bool = true) -> String {
        let digits = currencyDigits(currency)
        let text = f.format(digits: digits, grouping: grouping)
        if let sym = symbols[currency] {
            return text.hasPrefix("-") ? "-" + sym + text.dropFirst() : sym + text
        }
        return text + " " + currency
    }

    /// A fraction as a percentage with at most two decimals: 0.85 → `85%`, 0.125 → `12.5%`.
    public static func percent(_ f: Fixed) -> String {
        trimmed(Fixed(units: f.units.multipliedReportingOverflow(by: 100).overflow ? f.units : f.units * 100), digits: 2) + "%"
    }

    /// A real with two decimals (`0.93`), or its shortest form when it is very large.
    public static func real(_ d: Double) -> String {
        if d.isNaN { return "none" }
        guard let f = Fixed(d) else { return String(d) }
        return f.format(digits: 2, grouping: false)
    }

    /// Up to `digits` decimals with trailing zeros removed.
    public static func trimmed(_ f: Fixed, digits: Int) -> String {
        var s = f.format(digits: digits, grouping: false)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// The text of a value; entities show their id (or name), none shows as `none`.
    public static func text(_ v: Value, store: PortfolioStore?) -> String {
        switch v {
        case .none: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .real(let d): return real(d)
        case .money(let f, let c): return money(f, c)
        case .percent(let p): return percent(p)
        case .hours(let h): return trimmed(h, digits: 2) + "h"
        case .date(let d): return d.description
        case .duration(let d): return d.description
        case .period(let p): return p.description
        case .string(let s): return s
        case .enumeration(let e, let c): return Int(c) < e.cases.count ? e.cases[Int(c)] : "?"
        case .entity(let k, let r): return store.map { entityLabel($0, k, r) } ?? "\(k.singular) #\(r)"
        case .list(let l): return l.map { text($0, store: store) }.joined(separator: ", ")
        case .rows(let k, let rows): return "\(rows.count) \(k.setName)"
        case .table(let t): return "table of \(t.rows.count) rows"
        case .record(let r): return "{" + r.keys.sorted().map { "\($0): \(text(r[$0] ?? .none, store: store))" }.joined(separator: ", ") + "}"
        }
    }

    /// An entity's id, else its name, else its set and row number.
    public static func entityLabel(_ store: PortfolioStore, _ k: EntityKind, _ r: Int32) -> String {
        let t = store.table(k)
        guard r >= 0, Int(r) < t.count else { return "\(k.singular) #\(r)" }
        if let c = t.column("id"), let s = c.string(Int(r)) { return s }
        if let c = t.column("name"), let s = c.string(Int(r)) { return s }
        return "\(k.singular) #\(r)"
    }
}
