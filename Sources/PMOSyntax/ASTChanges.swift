// Changes in the language: `update`, `insert` and `delete` with their reason (ParserChanges.swift).

/// `update SET [where COND] set F = E, ... because WHY [effective DATE]`,
/// `update ENTITY "ID" set ...`, `insert SET {F: E, ...} because WHY [effective DATE]`,
/// `delete SET where COND because WHY [effective DATE]`.
public struct ChangeDecl: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case update, insert, delete }
    public var action: Action
    /// The set (`projects`) or, with `key`, the singular entity name (`project`).
    public var set: Name
    /// `update project "PRJ-0042"`: the id or exact name.
    public var key: Expr?
    public var condition: Expr?
    /// `set F = E, ...` of an update; the fields of an insert's record.
    public var assignments: [RecordField]
    public var reason: Expr
    public var effective: Expr?

    public init(action: Action, set: Name, key: Expr?, condition: Expr?, assignments: [RecordField], reason: Expr, effective: Expr?) {
        self.action = action; self.set = set; self.key = key; self.condition = condition
        self.assignments = assignments; self.reason = reason; self.effective = effective
    }
}

/// `was V`, `was in LIST`, `was not V`.
public enum WasForm: String, Hashable, Sendable { case value = "was", oneOf = "was in", not = "was not" }

/// The part of history a `was` or `changed` looks at: `during PERIOD`, `after DATE`, `before DATE`, `on DATE`.
public enum HistoryWindow: Hashable, Sendable {
    case during(Expr), after(Expr), before(Expr), on(Expr)

    public var word: String {
        switch self { case .during: return "during"; case .after: return "after"; case .before: return "before"; case .on: return "on" }
    }

    public var expr: Expr {
        switch self { case .during(let e), .after(let e), .before(let e), .on(let e): return e }
    }
}

/// `changed [from V] [to V] [by WHO] [window]`.
public struct ChangedQualifiers: Hashable, Sendable {
    public var from: Expr?
    public var to: Expr?
    public var by: Expr?
    public var window: HistoryWindow?
    public init(from: Expr? = nil, to: Expr? = nil, by: Expr? = nil, window: HistoryWindow? = nil) {
        self.from = from; self.to = to; self.by = by; self.window = window
    }
}
