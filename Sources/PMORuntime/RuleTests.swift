// Rule tests: `test "NAME" { given SET [records] ... expect OUTCOME RULE on "ID" ... assert ... }`.
//
// A test runs in a session of its own over a small portfolio built from its `given` records (the
// fields they leave out are filled by `FixtureBuilder`). The definitions declared before the test
// (`let`, `def`, computed fields and rules) are compiled again on that portfolio, then the body runs:
// each `expect` evaluates one rule for one entity and each `assert` its condition; every one that
// does not hold is a failure showing expected versus actual, and the test goes on.
import PMOBase
import PMOSyntax
import Portfolio

/// One `expect` or `assert` that did not hold, or an error that stopped a test.
public struct TestFailure: Sendable, Hashable {
    public var span: Span
    /// The statement that failed, as written (`expect violation sponsor_required on "P1"`), or the error.
    public var statement: String
    public var expected: String?
    public var actual: String?
    /// A fix hint for an error.
    public var help: String?

    public init(span: Span, statement: String, expected: String? = nil, actual: String? = nil, help: String? = nil) {
        self.span = span; self.statement = statement; self.expected = expected; self.actual = actual; self.help = help
    }
}

/// The result of one test block.
public struct TestResult: Sendable, Hashable {
    public var name: String
    /// The test's name string.
    public var span: Span
    public var failures: [TestFailure]
    public var passed: Bool { failures.isEmpty }

    /// `test "NAME": passed`, or `test "NAME": FAILED` followed by each failure with its place and
    /// expected versus actual.
    public func report(_ sources: SourceMap) -> String {
        if passed { return "test \"\(name)\": passed" }
        var lines = ["test \"\(name)\": FAILED" + (place(span, sources).map { " (\($0))" } ?? "")]
        for f in failures {
            lines.append("  " + (place(f.span, sources).map { "\($0): " } ?? "") + f.statement)
            if let e = f.expected { lines.append("    expected: \(e)") }
            if let a = f.actual { lines.append("    actual:   \(a)") }
            if let h = f.help { lines.append("    help: \(h)") }
        }
        return lines.joined(separator: "\n")
    }

    /// `file:line:col` of a span.
    func place(_ s: Span, _ sources: SourceMap) -> String? {
        guard let f = sources.file(s.file) else { return nil }
        let loc = f.location(of: Int(s.start))
        return "\(f.name):\(loc.line):\(loc.column)"
    }
}

/// A test after checking: its body, its fixture records compiled, and the definitions it replays.
struct TestPlan {
    let decl: TestDecl
    let span: Span
    let definitions: [Stmt]
    let records: [FixtureRecordPlan]
}

struct FixtureRecordPlan {
    let kind: EntityKind
    let span: Span
    let fields: [FixtureFieldPlan]
}

struct FixtureFieldPlan {
    let name: String
    let type: FieldType
    let span: Span
    let value: FixtureValue
}

enum FixtureValue {
    case none
    /// An enumerated value by name (`phase: execution`).
    case enumCase(String)
    case eval(Eval)
}

/// `expect OUTCOME RULE on "ID"` compiled in a test's session.
struct ExpectPlan {
    let outcome: ExpectedOutcome
    let rule: CompiledRule
    let row: Int32
    let statement: String
    let span: Span
}

/// `assert COND [, MESSAGE]` inside a test: the condition, and its two sides when it is a comparison.
struct TestAssertPlan {
    let condition: Eval
    let sides: [(String, Eval)]
    let message: Eval?
    let statement: String
    let span: Span
}

extension Session {
    // MARK: - Declaring a test

    /// Checks a test where it is declared: its fixture records (sets, fields, values) and that every
    /// rule it expects is declared. The rest of the body is checked when it runs, on its fixture.
    func compileTest(_ t: TestDecl, _ span: Span, _ c: Compiler) -> TestPlan? {
        let before = c.diagnostics.count
        let scratch = Compiler(store: Session.emptyStore(currency: store.currency), state: SessionState())
        var records: [FixtureRecordPlan] = []
        var declared: Set<String> = []
        for st in t.body {
            switch st.kind {
            case .given(let set, let list): records += compileGiven(set, list, c, scratch)
            case .rule(let d): declared.insert(d.id.text)
            case .expect(_, let rule, _, _):
                if state.book.rules[rule.text] == nil && !declared.contains(rule.text) {
                    _ = lookupRule(rule, c, declaredInTest: declared)
                }
            default: break
            }
        }
        if c.diagnostics.count > before { return nil }
        return TestPlan(decl: t, span: span, definitions: state.book.definitions, records: records)
    }

    static func emptyStore(currency: String) -> PortfolioStore {
        PortfolioStore(tables: EntityKind.allCases.map { EntityTable(kind: $0) }, currency: currency)
    }

    /// `given SET [{...}, ...]`: every record's fields must be fields of the set, with values of their type.
    func compileGiven(_ set: Name, _ list: Expr, _ c: Compiler, _ scratch: Compiler) -> [FixtureRecordPlan] {
        guard let k = EntityKind(setName: set.text) ?? EntityKind(singular: set.text) else {
            let hint = Suggest.closest(to: set.text, in: EntityKind.allCases.map(\.setName)).map { "did you mean '\($0)'?" }
            c.error("unknown entity set '\(set.text)'", set.span, help: hint)
            return []
        }
        var items: [Expr] = []
        switch list.kind {
        case .list(let xs): items = xs
        case .record: items = [list]
        default: break
        }
        if items.isEmpty || items.contains(where: { if case .record = $0.kind { return false }; return true }) {
            c.error("'given' needs a list of records, such as [{id: \"P1\", bac: $2M}]", list.span)
            return []
        }
        let schema = Catalog.schemas[k.rawValue]
        let names = FixtureBuilder.fieldNames(k)
        var out: [FixtureRecordPlan] = []
        for item in items {
            guard case .record(let fields) = item.kind else { continue }
            var plans: [FixtureFieldPlan] = []
            var seen = Set<String>()
            for f in fields {
                let n = f.name.text
                guard names.contains(n) else {
                    let hint = Suggest.closest(to: n, in: names).map { "did you mean '\($0)'?" }
                    c.error("unknown field '\(n)' on \(k.singular)", f.name.span, help: hint ?? "\(k.setName) have: \(names.joined(separator: ", "))")
                    continue
                }
                guard seen.insert(n).inserted else {
                    c.error("field '\(n)' appears twice in this record", f.name.span)
                    continue
                }
                let type: FieldType = schema.fieldIndex(n).map { schema.fields[$0].type } ?? (n == "status_date" ? .date : .money)
                if let v = fixtureValue(f.value, n, type, c, scratch) {
                    plans.append(FixtureFieldPlan(name: n, type: type, span: f.value.span, value: v))
                }
            }
            out.append(FixtureRecordPlan(kind: k, span: item.span, fields: plans))
        }
        return out
    }

    /// The value of one fixture field, checked against the field's type.
    func fixtureValue(_ e: Expr, _ field: String, _ type: FieldType, _ c: Compiler, _ scratch: Compiler) -> FixtureValue? {
        if case .none = e.kind { return FixtureValue.none }
        if case .enumeration(let en) = type {
            var word: String?
            if case .name(let n) = e.kind { word = n }
            if case .literal(.string(let s)) = e.kind { word = s }
            if let w = word {
                guard en.code(of: w) != nil else {
                    let hint = Suggest.closest(to: w, in: en.cases).map { "did you mean '\($0)'?" }
                    c.error("unknown value '\(w)' for \(field)", e.span, help: hint ?? "\(field) is one of \(en.cases.joined(separator: ", "))")
                    return nil
                }
                return .enumCase(w)
            }
        }
        let x = scratch.compile(e)
        if !scratch.diagnostics.isEmpty {
            c.diagnostics += scratch.diagnostics
            scratch.diagnostics.removeAll()
            return nil
        }
        if !Session.fits(x.type, type) {
            c.error("\(field) needs \(Session.describe(type)) but found \(x.type)", e.span)
            return nil
        }
        return .eval(x.eval)
    }

    /// Whether a value of static type `t` can fill a field of type `f`.
    static func fits(_ t: VType, _ f: FieldType) -> Bool {
        if t == .any { return true }
        switch f {
        case .id, .string, .reference, .enumeration: return t == .string
        case .int: return t == .int
        case .real: return t == .int || t == .real
        case .money: if case .money = t { return true }; return t == .int || t == .real
        case .percent: return t == .percent || t == .int || t == .real
        case .hours: return t == .hours || t == .int || t == .real
        case .date: return t == .date || t == .period
        case .duration: return t == .duration || t == .int
        case .bool: return t == .bool
        case .stringList: return t == .string || t == .list(.string)
        }
    }

    static func describe(_ f: FieldType) -> String {
        switch f {
        case .id, .string: return "text"
        case .int: return "a whole number"
        case .real: return "a number"
        case .money: return "an amount of money"
        case .percent: return "a percentage"
        case .hours: return "hours"
        case .date: return "a date"
        case .duration: return "a duration"
        case .bool: return "true or false"
        case .enumeration(let e): return "one of \(e.cases.joined(separator: ", "))"
        case .reference(let k): return "the id of a \(k.singular) (a string)"
        case .stringList: return "a list of strings"
        }
    }

    // MARK: - Running a test

    /// Runs a test on its own fixture; never throws: whatever goes wrong is a failure of the test.
    func runTest(_ plan: TestPlan, _ ctx: Ctx) -> TestResult {
        var result = TestResult(name: plan.decl.name, span: plan.decl.nameSpan, failures: [])
        let fixtureStore: PortfolioStore
        switch buildFixture(plan, ctx) {
        case .success(let s): fixtureStore = s
        case .failure(let f):
            result.failures.append(f)
            return result
        }
        var childOptions = options
        childOptions.asOf = ctx.asOf
        let child = Session(store: fixtureStore, sources: sources, options: childOptions, readFile: readFile)
        child.governance.runsTests = false
        child.governance.inTest = true
        let (compiled, diagnostics) = child.compileTestBody(plan)
        for d in diagnostics {
            let inBody = d.span.file == plan.span.file && d.span.start >= plan.span.start && d.span.end <= plan.span.end
            result.failures.append(TestFailure(
                span: d.span, statement: "error: " + d.message,
                help: d.help ?? (inBody ? nil : "this definition, declared before the test, does not check on the test's fixture")))
        }
        guard let compiled, diagnostics.isEmpty else { return result }
        do {
            try child.run(compiled) { _ in }
        } catch {
            child.governance.testFailures.append(TestFailure(span: error.span, statement: "error: " + error.message, help: error.help))
        }
        result.failures += child.governance.testFailures
        return result
    }

    /// Evaluates the fixture records and builds their portfolio.
    func buildFixture(_ plan: TestPlan, _ ctx: Ctx) -> Result<PortfolioStore, TestFailure> {
        let scratchCtx = Ctx(store: Session.emptyStore(currency: store.currency), asOf: ctx.asOf, maxSteps: options.maxSteps)
        var records: [FixtureRecord] = []
        for r in plan.records {
            var cells: [String: FixtureCell] = [:]
            for f in r.fields {
                switch f.value {
                case .none: cells[f.name] = FixtureCell.none
                case .enumCase(let s): cells[f.name] = .text(s)
                case .eval(let ev):
                    do {
                        cells[f.name] = try fixtureCell(try ev(scratchCtx), f, ctx.store.currency)
                    } catch let e as TestFailure {
                        return .failure(e)
                    } catch {
                        let message = (error as? RuntimeError)?.message ?? "\(error)"
                        return .failure(TestFailure(span: f.span, statement: "error in the fixture: \(message)"))
                    }
                }
            }
            records.append(FixtureRecord(kind: r.kind, cells: cells))
        }
        do {
            return .success(try FixtureBuilder.build(records, asOf: ctx.asOf, currency: store.currency, template: store))
        } catch {
            let span = error.record.flatMap { i in i < plan.records.count ? plan.records[i].span : nil } ?? plan.decl.nameSpan
            return .failure(TestFailure(span: span, statement: "error in the fixture: \(error.message)"))
        }
    }

    /// A fixture value in the unit of its field.
    func fixtureCell(_ v: Value, _ f: FixtureFieldPlan, _ currency: String) throws -> FixtureCell {
        func wrong() -> TestFailure {
            TestFailure(span: f.span, statement: "error in the fixture: \(f.name) needs \(Session.describe(f.type)) but got \(v.typeName)")
        }
        if v.isNone { return FixtureCell.none }
        switch f.type {
        case .id, .string, .reference, .enumeration:
            guard case .string(let s) = v else { throw wrong() }
            return .text(s)
        case .int:
            guard case .int(let n) = v else { throw wrong() }
            return .integer(n)
        case .real:
            switch v {
            case .int(let n): return .number(Double(n))
            case .real(let d): return .number(d)
            default: throw wrong()
            }
        case .money, .percent, .hours:
            switch v {
            case .money(let m, let cur):
                guard f.type == .money else { throw wrong() }
                guard cur == currency else {
                    throw TestFailure(span: f.span, statement: "error in the fixture: \(f.name) is in \(cur) but the portfolio's money is in \(currency)")
                }
                return .units(m.units)
            case .percent(let p): guard f.type == .percent else { throw wrong() }; return .units(p.units)
            case .hours(let h): guard f.type == .hours else { throw wrong() }; return .units(h.units)
            case .int(let n):
                guard let x = Fixed(whole: n) else { throw wrong() }
                return .units(x.units)
            case .real(let d):
                guard let x = Fixed(d) else { throw wrong() }
                return .units(x.units)
            default: throw wrong()
            }
        case .date:
            switch v {
            case .date(let d): return .date(d)
            case .period(let p): return .date(p.start)
            default: throw wrong()
            }
        case .duration:
            switch v {
            case .duration(let d) where d.months == 0 && d.businessDays == 0: return .days(Int64(d.days))
            case .int(let n): return .days(n)
            default: throw wrong()
            }
        case .bool:
            guard case .bool(let b) = v else { throw wrong() }
            return .bool(b)
        case .stringList:
            switch v {
            case .string(let s): return .text(s)
            case .list(let items):
                var out: [String] = []
                for i in items { guard case .string(let s) = i else { throw wrong() }; out.append(s) }
                return .list(out)
            default: throw wrong()
            }
        }
    }

    /// Compiles the definitions the test replays, then its body (without `given`), in this session.
    func compileTestBody(_ plan: TestPlan) -> (CompiledScript?, [Diagnostic]) {
        let c = Compiler(store: store, state: state)
        let file = sources.file(plan.span.file) ?? SourceFile(id: -1, name: "<test>", bytes: [])
        var steps: [CompiledScript.Step] = []
        var using: Set<String> = []
        for st in plan.definitions { compileStatement(st, c, file, &steps, &using) }
        for st in plan.decl.body {
            switch st.kind {
            case .given: continue
            case .assert(let cond, let message): compileTestAssert(cond, message, st, c, &steps)
            default: compileStatement(st, c, file, &steps, &using)
            }
        }
        var seen = Set<Diagnostic>()
        let unique = c.diagnostics.filter { seen.insert($0).inserted && $0.severity == .error }
        return unique.isEmpty ? (CompiledScript(steps: steps), []) : (nil, unique)
    }

    /// `expect OUTCOME RULE on "ID"` in a test's session: the rule and the fixture entity.
    func compileExpect(_ st: Stmt, _ c: Compiler, _ steps: inout [CompiledScript.Step]) {
        guard case .expect(let outcome, let name, let key, let keySpan) = st.kind else { return }
        guard let rule = lookupRule(name, c) else { return }
        guard let row = findEntity(rule.kind, key) else {
            let hint = Suggest.closest(to: key, in: entityKeys(rule.kind)).map { "did you mean \"\($0)\"?" }
                ?? "give it in the test: given \(rule.kind.setName) [{id: \"\(key)\"}]"
            c.error("the test's fixture has no \(rule.kind.singular) \"\(key)\"", keySpan, help: hint)
            return
        }
        steps.append(.governance(.expect(ExpectPlan(outcome: outcome, rule: rule, row: row, statement: Printer.print(st), span: st.span))))
    }

    func runExpect(_ plan: ExpectPlan, _ ctx: Ctx) throws {
        let found = try evaluate(plan.rule, ctx, only: plan.row).first
        let holds: Bool
        switch plan.outcome {
        case .pass: holds = found == nil || found?.outcome == .pass
        case .violation: holds = found?.outcome == .violation
        case .unknown: holds = found?.outcome == .unknown
        }
        if holds { return }
        governance.testFailures.append(TestFailure(span: plan.span, statement: plan.statement,
                                                   expected: plan.outcome.rawValue, actual: actual(found)))
    }

    /// What a rule actually gave, for a failure.
    func actual(_ f: Finding?) -> String {
        guard let f else { return "not checked (the rule's 'for' leaves this entity out)" }
        switch f.outcome {
        case .pass: return "pass"
        case .violation: return "violation: \(f.message)"
        case .unknown: return "unknown (\(f.missing ?? "a value") is none)"
        case .error: return f.message
        }
    }

    /// `assert` inside a test records a failure (with both sides of a comparison) and the test goes on.
    func compileTestAssert(_ cond: Expr, _ message: Expr?, _ st: Stmt, _ c: Compiler, _ steps: inout [CompiledScript.Step]) {
        let x = c.compile(cond)
        if x.type != .bool && x.type != .any { c.error("'assert' needs a condition but found \(x.type)", cond.span) }
        var sides: [(String, Eval)] = []
        if case .binary(let op, let l, let r) = cond.kind, [.eq, .ne, .lt, .le, .gt, .ge].contains(op) {
            for side in [l, r] {
                if case .literal = side.kind { continue }
                let before = c.diagnostics.count
                let s = c.compile(side)
                if c.diagnostics.count == before { sides.append((sourceText(side), s.eval)) } else { c.diagnostics.removeLast(c.diagnostics.count - before) }
            }
        }
        let m = message.map { c.compile($0).eval }
        steps.append(.governance(.testAssert(TestAssertPlan(condition: x.eval, sides: sides, message: m,
                                                            statement: "assert " + sourceText(cond), span: st.span))))
    }

    func runTestAssert(_ plan: TestAssertPlan, _ ctx: Ctx) throws {
        ctx.base = 0
        let v = try plan.condition(ctx)
        if case .bool(true) = v { return }
        var actual = v.isNone ? "unknown (a value it needs is none)" : "false"
        let values = try plan.sides.map { "\($0.0) is \(whyText(try $0.1(ctx)))" }
        if !values.isEmpty { actual += ": " + values.joined(separator: ", ") }
        var statement = plan.statement
        if let m = plan.message { statement += ", \"\(Display.text(try m(ctx), store: store))\"" }
        governance.testFailures.append(TestFailure(span: plan.span, statement: statement, expected: "true", actual: actual))
    }
}

extension TestFailure: Error {}
