// The syntax tree: scripts, statements, expressions and pipeline stages, each with its span.
import PMOBase

/// A name as written, with where it was written.
public struct Name: Hashable, Sendable {
    public var text: String
    public var span: Span
    public init(_ text: String, _ span: Span) { self.text = text; self.span = span }
}

/// A literal value as written in the source.
public enum Literal: Hashable, Sendable {
    case integer(Int64)
    case decimal(Double, exact: Fixed?)
    case money(Fixed, currency: String)
    case percent(Fixed)
    case hours(Fixed)
    case date(Day)
    case period(PeriodLiteral)
    case duration(Int64, DurationUnit)
    case string(String)
    case bool(Bool)
}

public enum UnaryOp: String, Hashable, Sendable {
    case negate = "-"
    case not = "not"
}

/// Binary operators. Precedence (loosest first): `or`; `and`; `not`; comparisons and text tests
/// (`= != < <= > >=`, `between`, `in`, `is none`, `contains`, `starts with`, `ends with`, `matches`);
/// `??`; `+ -`; `* /`; unary `-`; postfix `.` and calls. See grammar.md.
public enum BinaryOp: String, Hashable, Sendable, CaseIterable {
    case or, and
    case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case contains, startsWith = "starts with", endsWith = "ends with", matches
    case coalesce = "??"
    case add = "+", sub = "-", mul = "*", div = "/"
}

/// One piece of an interpolated string.
public enum InterpolationPart: Hashable, Sendable {
    case text(String)
    case expr(Expr)
}

/// An expression with its span.
public struct Expr: Hashable, Sendable {
    public var kind: ExprKind
    public var span: Span
    public init(_ kind: ExprKind, _ span: Span) { self.kind = kind; self.span = span }
}

public indirect enum ExprKind: Hashable, Sendable {
    case literal(Literal)
    case interpolated([InterpolationPart])
    /// A bare name: a field, variable, parameter, entity set, relationship or enumerated value.
    case name(String)
    case this
    /// `all projects`: the whole entity set, even inside a row whose relationships it would otherwise name.
    case all(Name)
    case today
    case none
    /// `base.name`: a field or relationship of a row, or a part of a date or period (`2026-Q4.end`).
    case member(Expr, Name)
    /// `name(args)`: a built-in or user function, or an aggregate.
    case call(Name, [Expr])
    /// `base.name(args)`: a parameterised field such as `r.utilization(w)`.
    case methodCall(Expr, Name, [Expr])
    /// `project "PRJ-0042"`: one entity by id or exact name.
    case entity(Name, Expr)
    case list([Expr])
    /// `{id: "P1", bac: $2M}` (fixtures in rule tests).
    case record([RecordField])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `x between a and b` (inclusive) or `x not between a and b`.
    case between(Expr, Expr, Expr, negated: Bool)
    /// `x in list` or `x not in list`.
    case isIn(Expr, Expr, negated: Bool)
    /// `x is none` or `x is not none`.
    case isNone(Expr, negated: Bool)
    /// `if c then a else b`; `else` is required (an `else if` chain nests here).
    case ifThen(Expr, Expr, Expr)
    /// A source followed by stages: `projects where status = red | sort spi | take 5`.
    case pipeline(Expr, [Stage])
    /// `F was V`, `F was in [...]`, `F was not V`, with an optional window (ASTChanges.swift).
    case was(Expr, Expr, WasForm, HistoryWindow?)
    /// `F changed [from V] [to V] [by WHO] [window]`.
    case changed(Expr, ChangedQualifiers)
}

public struct RecordField: Hashable, Sendable {
    public var name: Name
    public var value: Expr
    public init(name: Name, value: Expr) { self.name = name; self.value = value }
}

/// `name = expr` or a bare `expr` (then the column is named after the expression).
public struct ProjectionItem: Hashable, Sendable {
    public var alias: Name?
    public var expr: Expr
    public init(alias: Name?, expr: Expr) { self.alias = alias; self.expr = expr }
}

public struct SortKey: Hashable, Sendable {
    public var expr: Expr
    public var descending: Bool
    public init(expr: Expr, descending: Bool) { self.expr = expr; self.descending = descending }
}

/// One pipeline stage with its span (from the stage keyword to its last token).
public struct Stage: Hashable, Sendable {
    public var kind: StageKind
    public var span: Span
    public init(_ kind: StageKind, _ span: Span) { self.kind = kind; self.span = span }
}

public enum StageKind: Hashable, Sendable {
    case `where`(Expr)
    /// `sort` or `order by`.
    case sort([SortKey])
    /// `take` or `limit`.
    case take(Expr)
    case select([ProjectionItem])
    case extend([ProjectionItem])
    case groupBy([ProjectionItem])
    case aggregate([ProjectionItem])
    case distinct([ProjectionItem])
    /// `expand NAME in LIST`.
    case expand(Name, Expr)
    /// `as of DATE`.
    case asOf(Expr)
}

/// A statement with its span.
public struct Stmt: Hashable, Sendable {
    public var kind: StmtKind
    public var span: Span
    public init(_ kind: StmtKind, _ span: Span) { self.kind = kind; self.span = span }
}

public enum StmtKind: Hashable, Sendable {
    /// A bare expression or pipeline: its value is shown.
    case expr(Expr)
    case `let`(Name, Expr)
    /// `def name(params) = body`.
    case function(Name, [Name], Expr)
    /// `def project.burn = body`: a computed field on an entity (singular name).
    case computedField(entity: Name, field: Name, Expr)
    case print(Expr)
    /// `export PIPELINE to "file.csv"`.
    case export(Expr, to: Expr)
    /// `use "rules/common.pmo"`.
    case use(String, Span)
    /// `as of DATE`: the script's as-of date from here on.
    case asOf(Expr)
    /// `assert COND [, MESSAGE]`.
    case assert(Expr, message: Expr?)
    /// `explain FIELD [(ARGS)] of ENTITY`: a computed field's formula and inputs.
    case explain(Name, [Expr], of: Expr)
    /// `rule ID "TITLE"` and its clauses: a governance rule (see `RuleDecl`).
    case rule(RuleDecl)
    /// `waive RULE for project "ID" until DATE by "WHO" because "WHY"`.
    case waive(WaiverDecl)
    /// `check` (every rule declared so far) or `check RULE, ...`.
    case check([Name])
    /// `test "NAME" { ... }`: a rule test with its fixtures and expectations.
    case test(TestDecl)
    /// `why RULE on "ID"`: the rule's condition evaluated for one entity, step by step.
    case why(Name, on: String, Span)
    /// `given SET [{...}, ...]` (inside a test): fixture records of one entity set.
    case given(Name, Expr)
    /// `expect violation|pass|unknown RULE on "ID"` (inside a test).
    case expect(ExpectedOutcome, Name, on: String, Span)
    /// `schedule "CRON"`: when the script is meant to run (read by `pmo crontab` and `pmo due`; does nothing when run).
    case schedule(String, Span)
    /// `report "TITLE" { section "NAME" { ... } ... }`: a document of titled sections (ParserReport.swift).
    case report(ReportDecl)
    /// `chart KIND(ARGS)`: a chart (SVG in HTML and Markdown, text at a terminal).
    case chart(Name, [Expr])
    /// `update`, `insert` or `delete ... because WHY`: a journalled change (ASTChanges.swift).
    case change(ChangeDecl)
    /// `undo`: reverts this session's last change, as a new journalled change.
    case undo
}

/// How serious a rule's violation is, least first: `info < low < medium < high < critical`.
public enum RuleSeverity: String, CaseIterable, Comparable, Hashable, Sendable {
    case info, low, medium, high, critical

    public static func < (a: RuleSeverity, b: RuleSeverity) -> Bool { a.rank < b.rank }

    public var rank: Int { RuleSeverity.allCases.firstIndex(of: self) ?? 0 }
}

/// `rule ID "TITLE"` followed by its clauses, each at most once:
/// `severity S`, `for SET [where COND]` (any pipeline of entities), `require COND`,
/// `message TEXT`, `owner EXPR`, `remedy TEXT`. `for` and `require` are required.
public struct RuleDecl: Hashable, Sendable {
    public var id: Name
    /// The title as written (plain text), if any.
    public var title: String?
    /// The severity as written; `nil` means the default, `medium`.
    public var severity: RuleSeverity?
    /// The entities the rule checks: `projects where bac > $1M`.
    public var subject: Expr
    /// The condition every entity of `subject` must meet.
    public var condition: Expr
    public var message: Expr?
    public var owner: Expr?
    public var remedy: Expr?

    public init(id: Name, title: String?, severity: RuleSeverity?, subject: Expr, condition: Expr,
                message: Expr? = nil, owner: Expr? = nil, remedy: Expr? = nil) {
        self.id = id; self.title = title; self.severity = severity; self.subject = subject
        self.condition = condition; self.message = message; self.owner = owner; self.remedy = remedy
    }
}

/// `waive RULE for ENTITY "ID" until DATE by WHO because WHY`.
public struct WaiverDecl: Hashable, Sendable {
    public var rule: Name
    /// The singular entity name as written (`project`).
    public var entity: Name
    /// The entity's id or exact name, and where it was written.
    public var key: String
    public var keySpan: Span
    public var until: Expr
    public var approver: Expr
    public var reason: Expr

    public init(rule: Name, entity: Name, key: String, keySpan: Span, until: Expr, approver: Expr, reason: Expr) {
        self.rule = rule; self.entity = entity; self.key = key; self.keySpan = keySpan
        self.until = until; self.approver = approver; self.reason = reason
    }
}

/// `test "NAME" { statements }`: `given`, `expect`, `assert` and any other statement.
public struct TestDecl: Hashable, Sendable {
    public var name: String
    public var nameSpan: Span
    public var body: [Stmt]

    public init(name: String, nameSpan: Span, body: [Stmt]) { self.name = name; self.nameSpan = nameSpan; self.body = body }
}

/// What an `expect` line says a rule gives for one entity.
public enum ExpectedOutcome: String, CaseIterable, Hashable, Sendable {
    case violation, pass, unknown
}

/// A parsed script: its statements in order.
public struct Script: Hashable, Sendable {
    public var statements: [Stmt]
    /// Names that a statement with a syntax error was defining (`let x = (1 +`, `def f(p) = `): the
    /// checker does not report their uses as unknown, since the syntax error already explains them.
    public var brokenDefinitions: [String] = []
    public init(statements: [Stmt], brokenDefinitions: [String] = []) {
        self.statements = statements; self.brokenDefinitions = brokenDefinitions
    }
}
