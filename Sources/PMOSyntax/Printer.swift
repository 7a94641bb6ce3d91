// The canonical printer: turns a syntax tree back into source text that parses to the same tree.
import PMOBase

/// Prints syntax trees in canonical form: one line per statement, lowercase keywords, `sort` and
/// `take` (never `order by` or `limit`), stages joined by ` | ` (a first `where` follows its source
/// directly, as in `projects where status = red`), literals re-spelled so they lex to the same value,
/// and only the parentheses the tree needs. `print(parse(print(t)))` is `print(t)`.
public enum Printer {
    /// The script, one statement per line, each line ending in a line break.
    public static func print(_ script: Script) -> String {
        script.statements.map { print($0) + "\n" }.joined()
    }

    /// One statement on one line (no line break); a rule puts each clause, and a test each statement of
    /// its body, on an indented line of its own.
    public static func print(_ stmt: Stmt) -> String {
        Writer(fullyParenthesized: false).statement(stmt)
    }

    /// An expression or pipeline on one line.
    public static func print(_ expr: Expr) -> String {
        Writer(fullyParenthesized: false).top(expr)
    }

    /// A debugging form that puts every compound sub-expression in parentheses, showing how the
    /// parser grouped it: `1 + 2 * 3` prints as `1 + (2 * 3)`.
    public static func printParenthesized(_ expr: Expr) -> String {
        Writer(fullyParenthesized: true).top(expr)
    }

    /// A string as a double-quoted literal of the language (escapes included).
    public static func stringLiteral(_ s: String) -> String { Writer.quoted(s) }
}

/// The printer's walk over the tree.
struct Writer {
    let fullyParenthesized: Bool

    // MARK: - Statements

    func statement(_ s: Stmt) -> String {
        switch s.kind {
        case .expr(let e): return top(e)
        case .let(let name, let value): return "let \(name.text) = \(top(value))"
        case .function(let name, let params, let body):
            return "def \(name.text)(\(params.map(\.text).joined(separator: ", "))) = \(top(body))"
        case .computedField(let entity, let field, let body): return "def \(entity.text).\(field.text) = \(top(body))"
        case .print(let value): return "print \(top(value))"
        case .export(let value, let target): return "export \(top(value)) to \(sub(target, .conditional))"
        case .use(let path, _): return "use \(Writer.quoted(path))"
        case .asOf(let date): return "as of \(sub(date, .conditional))"
        case .assert(let condition, let message):
            var text = "assert \(sub(condition, .conditional))"
            if let m = message { text += ", \(sub(m, .conditional))" }
            return text
        case .explain(let field, let args, let entity):
            let call = args.isEmpty ? field.text : field.text + "(" + commaList(args).joined(separator: ", ") + ")"
            return "explain \(call) of \(sub(entity, .conditional))"
        case .rule(let r): return rule(r)
        case .waive(let w):
            return "waive \(w.rule.text) for \(w.entity.text) \(Writer.quoted(w.key)) until \(sub(w.until, .conditional))"
                + " by \(sub(w.approver, .conditional)) because \(sub(w.reason, .conditional))"
        case .check(let names): return names.isEmpty ? "check" : "check " + names.map(\.text).joined(separator: ", ")
        case .test(let t):
            var text = "test \(Writer.quoted(t.name)) {\n"
            for st in t.body {
                text += statement(st).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            return text + "}"
        case .why(let rule, let key, _): return "why \(rule.text) on \(Writer.quoted(key))"
        case .given(let set, let records): return "given \(set.text) \(sub(records, .conditional))"
        case .expect(let outcome, let rule, let key, _): return "expect \(outcome.rawValue) \(rule.text) on \(Writer.quoted(key))"
        case .schedule(let text, _): return "schedule \(Writer.quoted(text))"
        case .report(let r):
            var text = "report \(Writer.quoted(r.title)) {\n"
            for section in r.sections {
                text += "  section \(Writer.quoted(section.title)) {\n"
                for st in section.body {
                    text += statement(st).split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
                }
                text += "  }\n"
            }
            return text + "}"
        case .chart(let kind, let args): return "chart \(kind.text)(\(commaList(args).joined(separator: ", ")))"
        case .change(let c): return change(c)
        case .undo: return "undo"
        }
    }

    /// A rule with one clause per indented line, in canonical order.
    func rule(_ r: RuleDecl) -> String {
        var text = "rule \(r.id.text)"
        if let title = r.title { text += " " + Writer.quoted(title) }
        if let s = r.severity { text += "\n  severity \(s.rawValue)" }
        text += "\n  for \(top(r.subject))"
        text += "\n  require \(sub(r.condition, .conditional))"
        if let m = r.message { text += "\n  message \(sub(m, .conditional))" }
        if let o = r.owner { text += "\n  owner \(sub(o, .conditional))" }
        if let x = r.remedy { text += "\n  remedy \(sub(x, .conditional))" }
        return text
    }

    // MARK: - Expressions

    /// How loosely an expression binds, for deciding parentheses.
    static func level(_ e: Expr) -> Precedence {
        switch e.kind {
        case .pipeline: return .pipeline
        case .ifThen: return .conditional
        case .binary(let op, _, _): return op.precedence
        case .unary(.not, _): return .not
        case .unary(.negate, _): return .prefix
        case .between, .isIn, .isNone, .was, .changed: return .comparison
        default: return .postfix
        }
    }

    /// An expression where anything may stand (statement level, inside brackets).
    func top(_ e: Expr) -> String { raw(e) }

    /// An expression in a position that needs at least `min`: parenthesized when it binds more loosely.
    func sub(_ e: Expr, _ min: Precedence) -> String {
        let level = Writer.level(e)
        if level < min || (fullyParenthesized && level < .postfix) { return "(" + raw(e) + ")" }
        return raw(e)
    }

    /// Comma-separated pipelines (arguments, list items, record values): a pipeline that ends in a
    /// stage taking a comma list (`select a, b`) is parenthesized unless it is the last element.
    func commaList(_ items: [Expr]) -> [String] {
        items.enumerated().map { i, e in
            i < items.count - 1 && Writer.endsInCommaList(e) ? "(" + raw(e) + ")" : sub(e, .pipeline)
        }
    }

    static func endsInCommaList(_ e: Expr) -> Bool {
        guard case .pipeline(_, let stages) = e.kind, let last = stages.last else { return false }
        switch last.kind {
        case .sort, .select, .extend, .groupBy, .aggregate, .distinct: return true
        case .where, .take, .expand, .asOf: return false
        }
    }

    func raw(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let l): return Writer.literal(l)
        case .interpolated(let parts):
            var text = "\""
            for part in parts {
                switch part {
                case .text(let s): text += Writer.escaped(s)
                case .expr(let x):
                    let inner = top(x)
                    // `{{` would be a literal brace: keep a record's `{` apart from the opening one.
                    text += inner.hasPrefix("{") ? "{ " + inner + "}" : "{" + inner + "}"
                }
            }
            return text + "\""
        case .name(let n): return n
        case .this: return "this"
        case .all(let n): return "all " + n.text
        case .today: return "today"
        case .none: return "none"
        case .member(let base, let name): return sub(base, .postfix) + "." + name.text
        case .call(let name, let args): return name.text + "(" + commaList(args).joined(separator: ", ") + ")"
        case .methodCall(let base, let name, let args):
            return sub(base, .postfix) + "." + name.text + "(" + commaList(args).joined(separator: ", ") + ")"
        case .entity(let name, let key): return name.text + " " + sub(key, .postfix)
        case .list(let items): return "[" + commaList(items).joined(separator: ", ") + "]"
        case .record(let fields):
            let values = commaList(fields.map(\.value))
            return "{" + zip(fields, values).map { "\($0.name.text): \($1)" }.joined(separator: ", ") + "}"
        case .unary(.negate, let x): return "-" + sub(x, .prefix)
        case .unary(.not, let x): return "not " + sub(x, .not)
        case .binary(let op, let l, let r):
            let level = op.precedence
            let (lmin, rmin): (Precedence, Precedence)
            switch op.associativity {
            case .left: (lmin, rmin) = (level, level.tighter)
            case .right: (lmin, rmin) = (level.tighter, level)
            case .none: (lmin, rmin) = (level.tighter, level.tighter)
            }
            return sub(l, lmin) + " " + op.rawValue + " " + sub(r, rmin)
        case .between(let x, let low, let high, let negated):
            return sub(x, .coalesce) + (negated ? " not between " : " between ") + sub(low, .coalesce) + " and " + sub(high, .coalesce)
        case .isIn(let x, let list, let negated):
            return sub(x, .coalesce) + (negated ? " not in " : " in ") + sub(list, .coalesce)
        case .isNone(let x, let negated):
            return sub(x, .coalesce) + (negated ? " is not none" : " is none")
        case .was, .changed:
            return history(e)
        case .ifThen(let c, let a, let b):
            return "if " + sub(c, .or) + " then " + sub(a, .conditional) + " else " + sub(b, .conditional)
        case .pipeline(let source, let stages):
            var text = sub(source, .conditional)
            for (i, stage) in stages.enumerated() {
                if i == 0, case .where = stage.kind { text += " " } else { text += " | " }
                text += self.stage(stage)
            }
            return text
        }
    }

    // MARK: - Stages

    func stage(_ s: Stage) -> String {
        switch s.kind {
        case .where(let e): return "where " + sub(e, .conditional)
        case .sort(let keys):
            return "sort " + keys.map { sub($0.expr, .conditional) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
        case .take(let e): return "take " + sub(e, .conditional)
        case .select(let items): return "select " + self.items(items)
        case .extend(let items): return "extend " + self.items(items)
        case .groupBy(let items): return "group by " + self.items(items)
        case .aggregate(let items): return "aggregate " + self.items(items)
        case .distinct(let items): return items.isEmpty ? "distinct" : "distinct " + self.items(items)
        case .expand(let name, let e): return "expand \(name.text) in " + sub(e, .conditional)
        case .asOf(let e): return "as of " + sub(e, .conditional)
        }
    }

    /// `name = expr` or `expr`; an unnamed item that would read as `name = ...` is parenthesized.
    func items(_ list: [ProjectionItem]) -> String {
        list.map { item in
            let value = sub(item.expr, .conditional)
            if let alias = item.alias { return alias.text + " = " + value }
            return Writer.startsWithAlias(value) ? "(" + value + ")" : value
        }.joined(separator: ", ")
    }

    /// True when `text` begins with an identifier (not a keyword) and then ` = `.
    static func startsWithAlias(_ text: String) -> Bool {
        let word = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = word.first, first.isLetter || first == "_" else { return false }
        guard Keyword(rawValue: word.lowercased()) == nil else { return false }
        return text.dropFirst(word.count).hasPrefix(" = ")
    }
}

// MARK: - Literals

extension Writer {
    /// Currency symbols the lexer reads in front of an amount; other currencies follow their amount.
    static let currencySymbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"]

    /// A literal spelled so that it lexes to the same value: `1500000`, `3.25`, `$1500000`,
    /// `250000 CHF`, `85%`, `2026-11-22`, `2026-Q4`, `FY2026`, `30d`, `"text"`.
    static func literal(_ l: Literal) -> String {
        switch l {
        case .integer(let v): return String(v)
        case .decimal(let d, let exact):
            if let x = exact, x.doubleValue == d {
                let text = x.description
                return text.contains(".") ? text : text + ".0"
            }
            return plain(d)
        case .money(let v, let currency):
            let amount = (v.units < 0 ? "-" : "") + short(v.units.magnitude)
            guard let symbol = currencySymbols[currency] else { return amount + " " + currency }
            return v.units < 0 ? "-" + symbol + short(v.units.magnitude) : symbol + amount
        case .percent(let v):
            return (v.units < 0 ? "-" : "") + scaled(v.units.magnitude, digits: 2) + "%"
        case .hours(let v):
            return (v.units < 0 ? "-" : "") + scaled(v.units.magnitude, digits: 4) + "h"
        case .date(let d): return d.description
        case .period(let p):
            switch p {
            case .month(let y, let m): return pad(y, 4) + "-" + pad(m, 2)
            case .quarter(let y, let q): return pad(y, 4) + "-Q" + String(q)
            case .week(let y, let w): return pad(y, 4) + "-W" + pad(w, 2)
            case .fiscalYear(let y): return "FY" + pad(y, 4)
            }
        case .duration(let n, let unit): return String(n) + unit.rawValue
        case .string(let s): return quoted(s)
        case .bool(let b): return b ? "true" : "false"
        }
    }

    /// A money amount (in units of 1/10,000) in its short form, as people write it: `1.5M`, `2B` (at
    /// least a million, at most two decimals of the scale), `250k` (a whole number of thousands from
    /// 10k), else `1234567.5` or `1500`. Both lex to the same exact amount.
    static func short(_ units: UInt64) -> String {
        for (suffix, scale) in [("B", UInt64(1_000_000_000)), ("M", 1_000_000)] {
            let whole = scale * 10_000, step = whole / 100
            if units >= whole && units % step == 0 { return scaled(units / step, digits: 2) + suffix }
        }
        if units >= 10_000 * 10_000 && units % (1_000 * 10_000) == 0 { return String(units / (1_000 * 10_000)) + "k" }
        return scaled(units, digits: 4)
    }

    /// `value / 10^digits` as the shortest exact decimal text: `scaled(8550, digits: 2)` is `85.5`.
    static func scaled(_ value: UInt64, digits: Int) -> String {
        var text = String(value)
        while text.count <= digits { text = "0" + text }
        let point = text.index(text.endIndex, offsetBy: -digits)
        var fraction = String(text[point...])
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(text[..<point]) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A double in positional notation with a fraction (the lexer has no exponents): `0.00001`, `2.0`.
    static func plain(_ d: Double) -> String {
        guard d.isFinite else { return "0.0" }
        let text = "\(d.magnitude)"
        let sign = d < 0 ? "-" : ""
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return sign + (text.contains(".") ? text : text + ".0")
        }
        let mantissa = text[..<e]
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        let pointAt = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = mantissa.filter { $0 != "." }
        var point = pointAt + exponent
        while point <= 0 { digits = "0" + digits; point += 1 }
        while digits.count <= point { digits += "0" }
        let i = digits.index(digits.startIndex, offsetBy: point)
        return sign + String(digits[..<i]) + "." + String(digits[i...])
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        var text = String(v.magnitude)
        while text.count < width { text = "0" + text }
        return (v < 0 ? "-" : "") + text
    }

    /// A double-quoted string literal.
    static func quoted(_ s: String) -> String { "\"" + escaped(s) + "\"" }

    /// String text with the escapes of a double-quoted string: `\" \\ \n \t \r \0`, `{{` and `}}`
    /// for braces, and `\u{...}` for other control characters.
    static func escaped(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "{": out += "{{"
            case "}": out += "}}"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
