// A session: checks whole scripts against the portfolio, then runs them, keeping definitions between inputs.
import PMOBase
import PMOSyntax
import Portfolio

/// Settings of an evaluation.
public struct EngineOptions: Sendable {
    /// The as-of date (`today`) until a script changes it.
    public var asOf: Day
    /// The most rows and calls a run may evaluate before it stops with a runtime error.
    public var maxSteps: Int
    /// The most rows one stage may produce, elements one list may hold and characters one text may
    /// have; beyond it the run stops with a runtime error instead of exhausting memory.
    public var maxRows: Int
    /// The deepest nesting the parser accepts in one statement (`Parser.parse(_:maxDepth:)`).
    public var maxDepth: Int
    public init(asOf: Day, maxSteps: Int = 500_000_000, maxRows: Int = 50_000_000, maxDepth: Int = 200) {
        self.asOf = asOf; self.maxSteps = maxSteps; self.maxRows = maxRows; self.maxDepth = maxDepth
    }
}

/// A checked script, ready to run.
public struct CompiledScript {
    indirect enum Step {
        case show(Eval, VType, Span, [(ResultColumn, VType, RowReader?)])
        case print(Eval)
        case bind(Int, Eval)
        case asOf(Eval, Span)
        case assert(Eval, Eval?, Span)
        case export(Eval, [(ResultColumn, VType, RowReader?)], Eval, Span)
        case explain(String, Eval?, Eval, Eval, Span)
        /// `rule`, `waive`, `check`, `test`, `why` and a test's `expect` (Rules.swift).
        case governance(GovernanceStep)
        /// `report`, `chart` (Report.swift).
        case reporting(ReportStep)
        /// `update`, `insert`, `delete` (Changes.swift) and `undo`.
        case change(ChangeStep)
        case undo(Span, String)
        /// A statement whose pipeline has an `as of` stage: run on the portfolio as it stood at the
        /// end of that date (TimeTravel.swift); `normal` when nothing in the journal is later.
        case past(date: Eval, normal: Step, statement: Stmt, file: SourceFile, span: Span)
    }
    var steps: [Step]
    /// After the step at an index changes the portfolio, the statements that follow it, checked
    /// again against the new data (their closures read the old one).
    var rests: [Int: [Stmt]] = [:]
    var file: SourceFile?
    /// True when the script has nothing but definitions (nothing to show).
    public var isEmpty: Bool { steps.isEmpty }
}

/// Checks and runs scripts over one portfolio. `let`, `def` and `as of` persist from one input to the next.
public final class Session {
    /// The portfolio; a change replaces it with the portfolio after the change.
    public private(set) var store: PortfolioStore
    /// Applies changes (`update`, `insert`, `delete`, `undo`); nil for a read-only portfolio.
    public var changeHost: ChangeHost?
    /// Why the portfolio is read-only, for the error a change meets (a `--data` folder, the demo).
    public var readOnlyReason: String?
    /// The journal's `source` of changes (`prompt`); `script FILE` when nil.
    public var changeSource: String?
    /// The batches of this session's changes not undone yet, oldest first.
    public internal(set) var changeBatches: [Int64] = []
    /// The journal, for `as of` (TimeTravel.swift); nil: `as of` moves `today` only.
    public var history: HistorySource?
    /// The portfolio as it is now (`store` may show it as of an earlier day).
    public private(set) var currentStore: PortfolioStore
    var journalIndex: JournalIndex?
    /// The portfolio as it stood at the end of recent days (TimeTravel.swift), most recent last.
    var pastStores: [(day: Day, store: PortfolioStore)] = []
    /// The journal's latest effective date, once read (nil: not read yet).
    var latestEffectiveMemo: Day?? = nil
    public let sources: SourceMap
    public var options: EngineOptions
    let readFile: (String) -> [UInt8]?
    /// The host's rules for `use` (nil: any file `readFile` serves): given the path `use` names
    /// (relative to the using file), the file's canonical name (its real path, so that one file
    /// reached by two names is one file for cycles) or why it may not be read.
    public var useAccess: ((String) -> Result<String, UseRefusal>)?
    /// How deep files may use each other: each level is a recursion of the checker.
    public static let maxUseDepth = 64
    let state = SessionState()
    /// Waivers, test results and settings of rule checks at run time (Rules.swift).
    let governance = GovernanceState()
    var globalValues: [Value] = []

    public var asOf: Day {
        get { options.asOf }
        set { options.asOf = newValue }
    }

    public init(store: PortfolioStore, sources: SourceMap, options: EngineOptions, readFile: @escaping (String) -> [UInt8]?) {
        self.store = store; self.currentStore = store; self.sources = sources; self.options = options; self.readFile = readFile
    }

    /// Checks a whole file (syntax, names, types, units); nothing runs. Empty diagnostics means it is ready.
    public func compile(_ file: SourceFile) -> (CompiledScript?, [Diagnostic]) {
        let (script, syntax) = Parser.parse(file, maxDepth: options.maxDepth)
        let snap = state.snapshot()
        let compiler = Compiler(store: store, state: state)
        var steps: [CompiledScript.Step] = []
        var using: Set<String> = [file.name]
        if let useAccess, case .success(let canonical) = useAccess(file.name) { using.insert(canonical) }
        var rests: [Int: [Stmt]] = [:]
        for (i, st) in script.statements.enumerated() {
            compileStatement(st, compiler, file, &steps, &using)
            switch st.kind {
            case .change, .undo, .asOf:
                if i + 1 < script.statements.count, !steps.isEmpty { rests[steps.count - 1] = Array(script.statements[(i + 1)...]) }
            default: break
            }
        }
        var seen = Set<Diagnostic>()
        // With syntax errors, the statements that parsed are still checked, and every error of both
        // kinds is reported once, in source order; nothing runs. Uses of a name whose definition
        // did not parse are not reported again.
        let broken = script.brokenDefinitions.flatMap { ["'\($0)'"] }
        let checked = compiler.diagnostics.filter { d in
            !(d.message.hasPrefix("unknown ") && broken.contains { d.message.hasSuffix($0) || d.message.contains($0 + " on") })
        }
        let unique = (syntax + checked).filter { seen.insert($0).inserted }
            .sorted { ($0.span.file, $0.span.start) < ($1.span.file, $1.span.start) }
        if !syntax.isEmpty {
            state.restore(snap)
            return (nil, unique)
        }
        // Warnings (a waiver naming an entity the portfolio does not have) do not stop the script.
        if unique.contains(where: { $0.severity == .error }) {
            state.restore(snap)
            return (nil, unique)
        }
        var compiled = CompiledScript(steps: steps)
        compiled.rests = rests
        compiled.file = file
        return (compiled, unique)
    }

    /// Statements checked again after a change, against the portfolio as it is now.
    func recompile(_ statements: [Stmt], _ file: SourceFile) throws(RuntimeError) -> CompiledScript {
        let compiler = Compiler(store: store, state: state)
        var steps: [CompiledScript.Step] = []
        var using: Set<String> = [file.name]
        var rests: [Int: [Stmt]] = [:]
        for (i, st) in statements.enumerated() {
            compileStatement(st, compiler, file, &steps, &using)
            switch st.kind {
            case .change, .undo, .asOf:
                if i + 1 < statements.count, !steps.isEmpty { rests[steps.count - 1] = Array(statements[(i + 1)...]) }
            default: break
            }
        }
        if let d = compiler.diagnostics.first(where: { $0.severity == .error }) {
            throw RuntimeError("after the change: " + d.message, at: d.span, help: d.help)
        }
        var compiled = CompiledScript(steps: steps)
        compiled.rests = rests
        compiled.file = file
        return compiled
    }

    /// After a change: the portfolio now (and shown).
    func replaceStore(_ s: PortfolioStore) {
        store = s; currentStore = s; journalIndex = nil; pastStores = []; latestEffectiveMemo = nil
    }

    /// `as of`: the portfolio shown.
    func replaceView(_ s: PortfolioStore) { store = s }

    func compileStatement(_ st: Stmt, _ c: Compiler, _ file: SourceFile, _ steps: inout [CompiledScript.Step], _ using: inout Set<String>,
                          travel: Bool = true) {
        state.book.record(st) // definitions a rule test replays on its fixture (Rules.swift)
        if travel, let (date, span) = Session.asOfStage(st) {
            // Checked here against the portfolio as it is; run on the portfolio as it stood (TimeTravel.swift).
            var inner: [CompiledScript.Step] = []
            compileStatement(st, c, file, &inner, &using, travel: false)
            let d = c.compile(date)
            guard inner.count == 1, let normal = inner.first else { steps += inner; return }
            steps.append(.past(date: d.eval, normal: normal, statement: st, file: file, span: span))
            return
        }
        switch st.kind {
        case .expr(let e):
            let x = c.compile(e)
            steps.append(.show(x.eval, x.type, e.span, readers(for: x.type, c, e.span)))
        case .let(let name, let e):
            if EntityKind(setName: name.text) != nil {
                c.error("'\(name.text)' is an entity set and cannot be redefined", name.span)
                return
            }
            let x = c.compile(e)
            let slot = state.globalCount
            state.globalCount += 1
            state.globals[name.text] = SessionState.Global(slot: slot, type: x.type, span: name.span)
            steps.append(.bind(slot, x.eval))
        case .function(let name, let params, let body):
            if AggregateKind(rawValue: name.text) != nil || Compiler.builtinArity[name.text] != nil {
                c.error("'\(name.text)' is a built-in function and cannot be redefined", name.span)
                return
            }
            var seen = Set<String>()
            for p in params where !seen.insert(p.text).inserted { c.error("parameter '\(p.text)' appears twice", p.span) }
            state.functions[name.text] = UserFunction(name: name, params: params, body: body)
            // Check the body once with parameters of unknown type, so mistakes show at definition.
            let fn = UserFunction(name: name, params: params, body: body)
            _ = c.userCall(fn, name, params.map { Expr(.none, $0.span) }, name.span)
        case .computedField(let entity, let field, let body):
            defineField(entity, field, body, c)
        case .print(let e):
            let x = c.compile(e)
            steps.append(.print(x.eval))
        case .export(let e, let to):
            let x = c.compile(e)
            let p = c.compile(to)
            if p.type != .string && p.type != .any { c.error("'export ... to' needs a file name such as \"out.csv\" but found \(p.type)", to.span) }
            switch x.type {
            case .rows, .table, .any: break
            default: c.error("'export' needs rows or a table but found \(x.type)", e.span)
            }
            steps.append(.export(x.eval, readers(for: x.type, c, e.span), p.eval, st.span))
        case .use(let path, let span):
            use(path, span, c, file, &steps, &using)
        case .asOf(let e):
            let x = c.compile(e)
            switch x.type {
            case .date, .period, .any: break
            default: c.error("'as of' needs a date but found \(x.type)", e.span)
            }
            steps.append(.asOf(x.eval, e.span))
        case .explain(let field, let args, let entity):
            compileExplain(field, args, entity, c, &steps, st.span)
        case .rule, .waive, .check, .test, .why, .given, .expect:
            compileGovernance(st, c, &steps)
        case .schedule, .report, .chart:
            compileReporting(st, c, file, &steps, &using)
        case .change(let d):
            if let step = compileChange(d, c, file, st.span) { steps.append(.change(step)) }
        case .undo:
            if changeHost == nil {
                c.error("this portfolio cannot be changed: \(readOnlyReason ?? "it is read-only")", st.span)
            }
            steps.append(.undo(st.span, changeSource ?? "script \(file.name)"))
        case .assert(let cond, let msg):
            let x = c.compile(cond)
            if x.type != .bool && x.type != .any { c.error("'assert' needs a condition but found \(x.type)", cond.span) }
            let m = msg.map { c.compile($0).eval }
            steps.append(.assert(x.eval, m, cond.span))
        }
    }

    /// `explain FIELD [(PERIOD)] of ENTITY`: checks that the entity has the field, then explains it at run time.
    func compileExplain(_ field: Name, _ args: [Expr], _ entity: Expr, _ c: Compiler, _ steps: inout [CompiledScript.Step], _ span: Span) {
        let e = c.compile(entity)
        guard case .entity(let k) = e.type else {
            if e.type != .any { c.error("'explain' needs one entity, such as project \"PRJ-0042\", but found \(e.type)", entity.span) }
            return
        }
        let schema = Catalog.schemas[k.rawValue]
        let value: Compiled
        var periodEval: Eval?
        if let def = schema.computedDef(field.text), def.takesPeriod {
            guard args.count == 1 else {
                c.error("'\(field.text)' needs a period: explain \(field.text)(2026-12) of ...", field.span)
                return
            }
            let ev = e.eval
            guard let v = c.periodField(k, field, args, entity: { ctx in
                if case .entity(_, let r) = try ev(ctx) { return r }
                return nil
            }, span) else { return }
            value = v
            periodEval = c.compile(args[0]).eval
        } else {
            value = c.member(entity, field, span)
        }
        steps.append(.explain(field.text, periodEval, e.eval, value.eval, span))
    }

    /// Default display columns when a statement's value is a set of entities.
    func readers(for t: VType, _ c: Compiler, _ span: Span) -> [(ResultColumn, VType, RowReader?)] {
        guard case .rows(let k) = t else { return [] }
        return c.outputColumns(.entity(k), span)
    }

    func defineField(_ entity: Name, _ field: Name, _ body: Expr, _ c: Compiler) {
        guard let k = EntityKind(singular: entity.text) ?? EntityKind(setName: entity.text) else {
            let hint = Suggest.closest(to: entity.text, in: EntityKind.allCases.map(\.singular)).map { "did you mean '\($0)'?" }
            c.error("unknown entity type '\(entity.text)'", entity.span, help: hint)
            return
        }
        let schema = Catalog.schemas[k.rawValue]
        if schema.fieldIndex(field.text) != nil || schema.toManyDef(field.text) != nil || schema.computedDef(field.text) != nil {
            c.error("\(k.singular) already has a field '\(field.text)'", field.span, help: "choose another name")
            return
        }
        let fb = FunctionBody()
        let uf = UserField(type: .any, body: fb, span: field.span)
        state.fields[k, default: [:]][field.text] = uf
        let savedScopes = c.scopes, savedParams = c.params
        c.scopes = [ScopeLevel(shape: .entity(k), grouped: false)]
        c.params = [:]
        let x = c.compile(body)
        c.scopes = savedScopes; c.params = savedParams
        uf.type = x.type
        fb.type = x.type
        fb.eval = x.eval
    }

    func use(_ path: String, _ span: Span, _ c: Compiler, _ from: SourceFile, _ steps: inout [CompiledScript.Step], _ using: inout Set<String>) {
        var resolved = Session.resolve(path, relativeTo: from.name)
        if let useAccess {
            switch useAccess(resolved) {
            case .success(let canonical): resolved = canonical
            case .failure(let refusal):
                c.error(refusal.message, span, help: refusal.help)
                return
            }
        }
        if using.count > Session.maxUseDepth {
            c.error("files use each other more than \(Session.maxUseDepth) levels deep", span, help: "a chain of 'use' this long is almost certainly a mistake")
            return
        }
        if using.contains(resolved) {
            c.error("'\(path)' is already being used (a file cannot use itself)", span)
            return
        }
        guard let bytes = readFile(resolved) else {
            c.error("cannot read '\(path)'", span, help: "paths are relative to the file that uses them")
            return
        }
        using.insert(resolved)
        defer { using.remove(resolved) }
        let f = sources.add(name: resolved, bytes: bytes)
        let (script, syntax) = Parser.parse(f, maxDepth: options.maxDepth)
        if !syntax.isEmpty { c.diagnostics += syntax; return }
        for st in script.statements {
            switch st.kind {
            case .let, .function, .computedField, .use, .asOf, .rule, .waive:
                compileStatement(st, c, f, &steps, &using)
            case .test:
                continue // a used file's tests run when that file is tested (pmo test), not here
            default:
                c.error("a used file may only hold definitions (let, def, use, as of, rule, waive, test)", st.span)
            }
        }
    }

    /// `path` relative to the directory of `file` (absolute paths are kept).
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }
}

/// Why the host refuses a `use`: the message, and what to do about it.
public struct UseRefusal: Error, Sendable {
    public let message: String
    public let help: String?
    public init(_ message: String, help: String? = nil) { self.message = message; self.help = help }
}
