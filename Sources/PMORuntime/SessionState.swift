// What a session remembers between inputs: `let` variables, user functions and computed fields.
import PMOSyntax
import Portfolio

/// A user function (`def overrun(p) = p.ac - p.bac`), compiled per distinct argument types.
final class UserFunction {
    let name: Name
    let params: [Name]
    let body: Expr
    var specializations: [[VType]: FunctionBody] = [:]

    init(name: Name, params: [Name], body: Expr) { self.name = name; self.params = params; self.body = body }
}

/// A user computed field (`def project.burn = ac / weeks(start, today)`).
final class UserField {
    var type: VType
    let body: FunctionBody
    let span: Span

    init(type: VType, body: FunctionBody, span: Span) { self.type = type; self.body = body; self.span = span }
}

/// Definitions visible to later statements; snapshotted so a failed input leaves no trace.
final class SessionState {
    struct Global { var slot: Int; var type: VType; var span: Span }

    var globals: [String: Global] = [:]
    var globalCount = 0
    var functions: [String: UserFunction] = [:]
    var fields: [EntityKind: [String: UserField]] = [:]
    /// Rules declared so far and the definitions rule tests replay (Rules.swift).
    var book = RuleBook()

    struct Snapshot {
        var globals: [String: Global]
        var globalCount: Int
        var functions: [String: UserFunction]
        var fields: [EntityKind: [String: UserField]]
        var book: RuleBook
    }

    func snapshot() -> Snapshot { Snapshot(globals: globals, globalCount: globalCount, functions: functions, fields: fields, book: book) }

    func restore(_ s: Snapshot) {
        globals = s.globals; globalCount = s.globalCount; functions = s.functions; fields = s.fields; book = s.book
    }

    /// Names defined by the user, for completion and did-you-mean.
    var userNames: [String] { Array(globals.keys) + Array(functions.keys) }
}

/// What hosts (the REPL's completion) may ask about the session's definitions.
extension Session {
    /// Names from `let` and `def`.
    public var userNames: [String] { state.userNames }
    /// The type of a `let` variable (`.rows(.project)` for `let big = projects where ...`).
    public func typeOfVariable(_ name: String) -> VType? { state.globals[name]?.type }
    /// Computed fields the user defined on an entity set (`def project.burn = ...`).
    public func userFields(of kind: EntityKind) -> [String] { state.fields[kind].map { Array($0.keys) } ?? [] }
    /// The built-in and aggregate functions.
    public static var functionNames: [String] { Compiler.allFunctionNames }
}
