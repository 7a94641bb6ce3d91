// Runtime values: scalars with units, entity references, row sets and result tables.
import PMOBase
import Portfolio

/// A value of the language. Scalars carry their unit (money has a currency; percent is a fraction).
/// Scalars are stored inline (no allocation per value); only the collection cases are boxed.
public enum Value: Hashable, Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case real(Double)
    case money(Fixed, currency: String)
    case percent(Fixed)
    case hours(Fixed)
    case date(Day)
    case duration(Duration)
    case period(Period)
    case string(String)
    /// An enumerated value: its type and its code (index in `type.cases`).
    indirect case enumeration(EnumType, UInt8)
    /// One entity of the portfolio.
    case entity(EntityKind, Int32)
    indirect case list([Value])
    /// A set of entities (a filtered entity set, a relationship): rows in order.
    case rows(EntityKind, [Int32])
    /// A computed table (after `select`, `group by`...).
    indirect case table(ResultTable)
    /// A record literal `{id: "P1", bac: $2M}`.
    indirect case record([String: Value])

    public var isNone: Bool { if case .none = self { return true }; return false }
}

/// How a result column is shown: alignment and formatting follow the kind.
public enum ColumnKind: String, Hashable, Sendable {
    case text, number, money, percent, hours, date, duration, period, bool, rag, enumeration, list
}

public struct ResultColumn: Hashable, Sendable {
    public var name: String
    public var kind: ColumnKind
    public init(name: String, kind: ColumnKind) { self.name = name; self.kind = kind }
}

/// A materialized table. In `Output` every cell is a scalar `Value` (entities appear as their id);
/// inside the engine cells may still hold entities, and `sourceKind`/`sourceRows` remember the
/// entity row behind each table row.
public struct ResultTable: Hashable, Sendable {
    public var columns: [ResultColumn]
    /// Row-major cells; `rows[i].count == columns.count`.
    public var rows: [[Value]]
    public var sourceKind: EntityKind?
    public var sourceRows: [Int32] = []
    /// Lines shown under the table in text, Markdown and HTML (the shared scale of `trend` columns).
    public var notes: [String] = []
    public init(columns: [ResultColumn], rows: [[Value]]) { self.columns = columns; self.rows = rows }
}

/// What running a statement produces, in order. Hosts decide how to print or write it.
public enum Output: Sendable {
    /// The value of a bare expression or pipeline (scalars arrive as `.scalar`).
    case table(ResultTable)
    case scalar(Value)
    /// Text from `print`.
    case text(String)
    /// `export ... to PATH`: the host writes the table, choosing the format from the extension.
    case export(ResultTable, path: String, span: Span)
    /// `check`: the outcome of every rule for every entity it checks (passes included), in report
    /// order. Renderers show those to act on as a table (`Finding.table`) and the counts as a summary line.
    case findings([Finding])
    /// `report "TITLE" {...}`: the start of a report document (Report.swift).
    case reportTitle(String)
    /// `section "NAME" {...}` in a report: the outputs that follow, up to the next section, belong to it.
    case section(String)
    /// `chart KIND(...)`: a chart's data; renderers draw it (SVG in HTML and Markdown, text at a terminal).
    case chart(Chart)
}

import PMOSyntax

/// An error while running a checked script (an overflow, a limit, a failed assertion): exit 70.
public struct RuntimeError: Error, Sendable {
    public var message: String
    public var span: Span
    public var help: String?
    public init(_ message: String, at span: Span, help: String? = nil) { self.message = message; self.span = span; self.help = help }
    public var diagnostic: Diagnostic { Diagnostic.error(message, at: span, help: help) }
}
