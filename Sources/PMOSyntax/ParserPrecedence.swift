// The one precedence table: how tightly each operator binds, shared by the parser and the printer.

/// Binding strength, loosest first. The parser climbs these levels; the printer adds parentheses
/// exactly where a child binds more loosely than its position allows.
enum Precedence: Int, Comparable {
    /// A pipeline `source | stage ...`: only at statement level or inside brackets.
    case pipeline = 0
    /// `if c then a else b`: its `else` branch runs to the right as far as it can.
    case conditional
    case or
    case and
    /// Prefix `not`.
    case not
    /// `= != < <= > >=`, `between`, `in`, `is none`, `contains`, `starts with`, `ends with`, `matches`.
    case comparison
    case coalesce
    case additive
    case multiplicative
    /// Prefix `-`.
    case prefix
    /// `.name`, `.name(args)`, calls, literals, names and bracketed forms.
    case postfix

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// The next tighter level.
    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .postfix }
}

/// How a chain of operators of one level groups.
enum Associativity {
    case left, right
    /// `a = b = c` is an error: comparisons do not chain.
    case none
}

/// One row of the operator table: the token that spells a binary operator, its level and grouping.
struct OperatorRow {
    let token: TokenKind
    let op: BinaryOp
    let level: Precedence
    let associativity: Associativity
}

/// The binary-operator table, the single source of operator precedence for the parser and the printer.
enum OperatorTable {
    static let rows: [OperatorRow] = [
        OperatorRow(token: .keyword(.or), op: .or, level: .or, associativity: .left),
        OperatorRow(token: .keyword(.and), op: .and, level: .and, associativity: .left),
        OperatorRow(token: .symbol(.eq), op: .eq, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.ne), op: .ne, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.lt), op: .lt, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.le), op: .le, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.gt), op: .gt, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.ge), op: .ge, level: .comparison, associativity: .none),
        OperatorRow(token: .keyword(.contains), op: .contains, level: .comparison, associativity: .none),
        // `starts` and `ends` must be followed by `with`.
        OperatorRow(token: .keyword(.starts), op: .startsWith, level: .comparison, associativity: .none),
        OperatorRow(token: .keyword(.ends), op: .endsWith, level: .comparison, associativity: .none),
        OperatorRow(token: .keyword(.matches), op: .matches, level: .comparison, associativity: .none),
        OperatorRow(token: .symbol(.coalesce), op: .coalesce, level: .coalesce, associativity: .right),
        OperatorRow(token: .symbol(.plus), op: .add, level: .additive, associativity: .left),
        OperatorRow(token: .symbol(.minus), op: .sub, level: .additive, associativity: .left),
        OperatorRow(token: .symbol(.star), op: .mul, level: .multiplicative, associativity: .left),
        OperatorRow(token: .symbol(.slash), op: .div, level: .multiplicative, associativity: .left),
    ]

    static let byToken: [TokenKind: OperatorRow] = Dictionary(rows.map { ($0.token, $0) }, uniquingKeysWith: { a, _ in a })
    static let byOperator: [BinaryOp: OperatorRow] = Dictionary(rows.map { ($0.op, $0) }, uniquingKeysWith: { a, _ in a })
}

extension BinaryOp {
    var precedence: Precedence { OperatorTable.byOperator[self]?.level ?? .comparison }
    var associativity: Associativity { OperatorTable.byOperator[self]?.associativity ?? .none }
}

/// An infix form found at the current token: a plain binary operator or one of the special comparisons
/// (`starts with` and `ends with` are binary operators spelled with two words).
enum InfixForm {
    case binary(BinaryOp)
    /// `between a and b` / `not between a and b`.
    case between(negated: Bool)
    /// `in list` / `not in list`.
    case isIn(negated: Bool)
    /// `is none` / `is not none`.
    case isNone
    /// `was ...` / `changed ...` (ParserChanges.swift).
    case history

    var precedence: Precedence {
        if case .binary(let op) = self { return op.precedence }
        return .comparison
    }
}
