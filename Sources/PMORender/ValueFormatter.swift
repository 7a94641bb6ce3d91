// How single values print: for people (tables, Markdown, HTML) and raw (CSV), locale-independent.
import PMOBase
import PMORuntime
import Portfolio

/// Text forms of a `Value`. `display` is for people; `raw` is for CSV and other machine readers.
public enum ValueFormatter {
    /// How none is shown in tables: an en dash.
    public static let noneMark = "–"

    /// The text a person reads: `$1,500,000.00`, `85%`, `0.93`, `2026-11-22`, `–` for none.
    public static func display(_ v: Value) -> String {
        display(v, entityLabel: nil)
    }

    /// `display` with a way to name entities (their id); without one an entity shows as `project #3`.
    public static func display(_ v: Value, entityLabel: ((EntityKind, Int32) -> String)?) -> String {
        switch v {
        case .none: return noneMark
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .real(let d): return real(d)
        case .money(let f, let currency): return money(f, currency: currency)
        case .percent(let f): return percent(f)
        case .hours(let f): return trimmed(f, grouping: true) + "h"
        case .date(let d): return d.description
        case .duration(let d): return d.description
        case .period(let p): return p.description
        case .string(let s): return s
        case .enumeration(let t, let code): return enumName(t, code)
        case .entity(let k, let row): return entity(k, row, entityLabel)
        case .list(let items):
            return items.map { display($0, entityLabel: entityLabel) }.joined(separator: ", ")
        case .rows(let k, let rows):
            return "\(rows.count) \(rows.count == 1 ? k.singular : k.setName)"
        case .table(let t):
            return "(\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows"))"
        case .record(let fields):
            let parts = fields.keys.sorted().map { key -> String in
                "\(key): \(display(fields[key] ?? .none, entityLabel: entityLabel))"
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// The text a program reads (CSV cells): none is empty, money is a plain decimal (`1500000.00`),
    /// percentages are fractions (`0.85`), lists are separated by `;` as in the model's CSV files.
    public static func raw(_ v: Value, entityLabel: ((EntityKind, Int32) -> String)? = nil) -> String {
        switch v {
        case .none: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .real(let d): return d.isFinite ? String(d) : ""
        case .money(let f, _): return moneyAmount(f)
        case .percent(let f), .hours(let f): return f.description
        case .list(let items): return items.map { raw($0, entityLabel: entityLabel) }.joined(separator: ";")
        case .record(let fields):
            return fields.keys.sorted().map { "\($0)=\(raw(fields[$0] ?? .none, entityLabel: entityLabel))" }
                .joined(separator: ";")
        default: return display(v, entityLabel: entityLabel)
        }
    }

    /// A money amount as plain decimal text with at least two and at most four fraction digits.
    public static func moneyAmount(_ f: Fixed) -> String {
        f.units % 100 == 0 ? f.plain(digits: 2) : f.format(digits: 4, grouping: false)
    }

    /// Money shortened for a narrow terminal: `$12.0M`, `$950k`, `$1.2B`, `$800` (one decimal for
    /// millions and billions, whole thousands), rounded half-even; other currencies after the amount.
    public static func shortMoney(_ f: Fixed, currency: String) -> String {
        let units = f.units.magnitude // the amount times 10,000
        let neg = f.units < 0 ? "-" : ""
        /// `units` in tenths of `10^power` (rounded half up), as `12.0`.
        func tenths(_ divisor: UInt64) -> String {
            let t = (units + divisor / 2) / divisor
            return String(t / 10) + "." + String(t % 10)
        }
        let text: String
        if units >= 1_000_000_000 * 10_000 {
            text = tenths(1_000_000_000_000) + "B"
        } else if units >= 1_000_000 * 10_000 {
            text = tenths(1_000_000_000) + "M"
        } else if units >= 1_000 * 10_000 {
            text = String((units + 5_000_000) / 10_000_000) + "k"
        } else {
            text = String((units + 5_000) / 10_000)
        }
        guard let symbol = currencySymbol(currency) else { return neg + text + " " + currency }
        return neg + symbol + text
    }

    /// `$1,500,000.00`, `€250,000.00`, `£900.00`, `¥1,200` (yen has no minor unit); other currencies
    /// after the amount: `1,500.00 CHF`.
    public static func money(_ f: Fixed, currency: String) -> String {
        let amount = f.format(digits: currency.uppercased() == "JPY" ? 0 : 2, grouping: true)
        guard let symbol = currencySymbol(currency) else {
            return currency.isEmpty ? amount : amount + " " + currency
        }
        if amount.hasPrefix("-") { return "-" + symbol + amount.dropFirst() }
        return symbol + amount
    }

    /// The symbol written before amounts in a currency, for the few currencies that have an unambiguous one.
    public static func currencySymbol(_ code: String) -> String? {
        switch code.uppercased() {
        case "USD", "$": return "$"
        case "EUR", "€": return "€"
        case "GBP", "£": return "£"
        case "JPY", "¥": return "¥"
        default: return nil
        }
    }

    /// A fraction as a percentage with at most two decimals, trailing zeros trimmed: `85%`, `12.5%`, `-3.25%`.
    public static func percent(_ f: Fixed) -> String {
        // `units` are ten-thousandths of the fraction, that is hundredths of a percent: exact.
        let mag = f.units.magnitude
        let whole = mag / 100, frac = mag % 100
        var s = String(whole)
        if frac != 0 {
            var digits = frac < 10 ? "0" + String(frac) : String(frac)
            if digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        return (f.units < 0 ? "-" : "") + s + "%"
    }

    /// A real number with two decimals (`0.93`); very large magnitudes use Swift's shortest form.
    public static func real(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-∞" : "∞" }
        if abs(d) < 1e14, let f = Fixed(d) { return f.format(digits: 2, grouping: false) }
        return String(d)
    }

    /// An exact decimal with up to four fraction digits, trailing zeros trimmed: `37.5`, `1,234`.
    static func trimmed(_ f: Fixed, grouping: Bool) -> String {
        var s = f.format(digits: 4, grouping: grouping)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func enumName(_ t: EnumType, _ code: UInt8) -> String {
        Int(code) < t.cases.count ? t.cases[Int(code)] : noneMark
    }

    static func entity(_ k: EntityKind, _ row: Int32, _ label: ((EntityKind, Int32) -> String)?) -> String {
        if let label { return label(k, row) }
        return "\(k.singular) #\(row)"
    }

    /// Whether a column of this kind is right-aligned (numbers and amounts).
    public static func isNumeric(_ kind: ColumnKind) -> Bool {
        switch kind {
        case .number, .money, .percent, .hours: return true
        default: return false
        }
    }

    /// Whether a value is a number or an amount (for scalar alignment and HTML classes).
    public static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .real, .money, .percent, .hours: return true
        default: return false
        }
    }

    /// The ANSI colour of a RAG value or a severity, or nil for any other value.
    public static func ansiColor(_ v: Value) -> String? {
        guard case .enumeration(let t, let code) = v, Int(code) < t.cases.count else { return nil }
        let name = t.cases[Int(code)]
        if t.name == "rag" {
            switch name {
            case "green": return "\u{1B}[32m"
            case "amber": return "\u{1B}[33m"
            case "red": return "\u{1B}[31m"
            default: return nil
            }
        }
        if t.name == "severity" {
            switch name {
            case "critical": return "\u{1B}[1;31m"
            case "high": return "\u{1B}[31m"
            case "medium": return "\u{1B}[33m"
            default: return nil
            }
        }
        return nil
    }

    /// Text made safe for one table cell or line: line breaks and tabs become spaces, other control
    /// characters (including escape sequences that could drive the terminal) become U+FFFD.
    public static func sanitized(_ s: String) -> String {
        var needs = false
        for u in s.unicodeScalars where u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) { needs = true; break }
        if !needs { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0..<0x20, 0x7F..<0xA0: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }
}
