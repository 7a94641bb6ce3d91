// Token kinds produced by the lexer, with literal payloads already decoded.
import PMOBase

/// Reserved words. Keywords are case-insensitive (`WHERE` = `where`); every other word is an
/// identifier. Words that are also common field names (`owner`, `severity`, `message`, `to`,
/// `on`, `state`...) are *not* reserved: the parser recognises them by position
/// (`Token.isWord(_:)`), so `risks where owner is none` keeps working.
public enum Keyword: String, CaseIterable, Sendable {
    // pipeline stages
    case `where`, sort, order, by, asc, desc, take, limit, select, extend, group, aggregate, distinct, expand
    // operators and literals
    case and, or, not, `in`, `is`, between, contains, starts, ends, with, matches
    case none, `true`, `false`, today, this
    case `if`, then, `else`
    // statements
    case `let`, def, print, export, use, `as`, of, assert
    // governance and reports (`schedule`, `section` and `chart` are contextual words, not keywords)
    case rule, waive, check, test, report, explain, why
}

/// Punctuation and operators.
public enum Symbol: String, CaseIterable, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", pipe = "|", colon = ":", semicolon = ";"
    case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case plus = "+", minus = "-", star = "*", slash = "/", coalesce = "??"
}

/// A period literal as written; the runtime turns it into dates (fiscal years need the configured start month).
public enum PeriodLiteral: Hashable, Sendable {
    case month(year: Int, month: Int)        // 2026-11
    case quarter(year: Int, quarter: Int)    // 2026-Q4
    case week(year: Int, week: Int)          // 2026-W47
    case fiscalYear(Int)                     // FY2026
}

/// Units of a duration literal.
public enum DurationUnit: String, Sendable {
    case days = "d", weeks = "w", months = "mo", years = "y", businessDays = "bd"
}

/// One piece of a double-quoted string: literal text, or the span of an `{expr}` to parse.
public enum StringSegment: Hashable, Sendable {
    case text(String)
    /// The byte span of the expression between the braces (braces excluded).
    case interpolation(Span)
}

/// What a token is, with its decoded value.
public enum TokenKind: Hashable, Sendable {
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    /// A whole number: `42`, `1_000_000`, `1.5M` (scale suffixes that give a whole number).
    case integer(Int64)
    /// A number with a fraction: `3.14`, `0.95`. `exact` holds it as a four-digit fixed decimal when it fits.
    case decimal(Double, exact: Fixed?)
    /// `$1.5M`, `€250k`, `£900`, `250k EUR`: an exact amount and an ISO currency code.
    case money(Fixed, currency: String)
    /// `85%` is the fraction 0.85.
    case percent(Fixed)
    /// `40h`, `7.5h`: hours (exact, four decimals).
    case hours(Fixed)
    case date(Day)
    case period(PeriodLiteral)
    /// `30d`, `2w`, `3mo`, `1y`, `10bd`.
    case duration(Int64, DurationUnit)
    /// A double-quoted string, split into text and interpolations.
    case string([StringSegment])
    /// A single-quoted string (no interpolation).
    case rawString(String)
    /// A line break outside brackets; the parser uses it to end statements.
    case newline
    /// A lexical error: the message says what is wrong (`unterminated string`, `unknown character '@'`).
    case error(String)
    case endOfInput
}

/// A token and the bytes it came from.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var span: Span

    public init(_ kind: TokenKind, _ span: Span) { self.kind = kind; self.span = span }

    /// True for the identifier `word` compared case-insensitively (contextual keywords such as `to`, `severity`).
    public func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.lowercased() == word }
        return false
    }

    public func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
    public func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }

    /// How the token is named in "expected X but found Y" messages.
    public var displayName: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .integer, .decimal: return "a number"
        case .money: return "an amount of money"
        case .percent: return "a percentage"
        case .hours: return "hours"
        case .date: return "a date"
        case .period: return "a period"
        case .duration: return "a duration"
        case .string, .rawString: return "a string"
        case .newline: return "end of line"
        case .error(let m): return m
        case .endOfInput: return "end of input"
        }
    }
}
