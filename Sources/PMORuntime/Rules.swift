// Governance rules in a session: declaring rules and waivers, `check`, `why` and `test` statements.
//
// A rule is compiled when declared: its `for` set at statement level, its condition, message, owner
// and remedy with one entity of that set in scope (so they can use everything the query language
// has). Rules live in the session state (`RuleBook`), so later inputs can check them; waivers and
// test results are run-time state (`GovernanceState`).
import PMOBase
import PMOSyntax
import Portfolio

/// A rule compiled against one portfolio.
final class CompiledRule {
    let decl: RuleDecl
    let kind: EntityKind
    let severity: RuleSeverity
    /// The rows the rule checks (`.rows`).
    let subject: Eval
    /// The condition, evaluated with the entity bound at scope level 0.
    let condition: Eval
    let message: Eval?
    let owner: Eval?
    let remedy: Eval?
    /// The condition's sub-expressions compiled one by one, for `why` and for naming what an unknown
    /// outcome was missing; built on first use.
    var probe: ProbeNode?

    init(decl: RuleDecl, kind: EntityKind, subject: @escaping Eval, condition: @escaping Eval, message: Eval?, owner: Eval?, remedy: Eval?) {
        self.decl = decl; self.kind = kind; self.severity = decl.severity ?? .medium
        self.subject = subject; self.condition = condition; self.message = message; self.owner = owner; self.remedy = remedy
    }

    var id: String { decl.id.text }
    var title: String { decl.title ?? decl.id.text }
    var span: Span { decl.id.span }
}

/// Rules declared so far, and the definitions a rule test replays on its fixture. A value type kept
/// in `SessionState`, so a snapshot of the state is a snapshot of it.
struct RuleBook {
    var rules: [String: CompiledRule] = [:]
    /// Rule ids in the order they were first declared.
    var order: [String] = []
    /// Rules whose declaration had errors: statements naming them report nothing more.
    var broken: Set<String> = []
    /// `let`, `def` and `rule` statements in the order they were compiled (used files included).
    var definitions: [Stmt] = []

    var all: [CompiledRule] { order.compactMap { rules[$0] } }

    mutating func record(_ st: Stmt) {
        switch st.kind {
        case .let, .function, .computedField, .rule: definitions.append(st)
        default: break
        }
    }
}

/// Run-time governance state of a session.
final class GovernanceState {
    var waivers: [Waiver] = []
    /// Whether `test` blocks run when a script runs (`pmo check` turns this off).
    var runsTests = true
    var testResults: [TestResult] = []
    /// True in the session a test runs in (on its fixture).
    var inTest = false
    /// Failed `expect`s and `assert`s of the test running in this session.
    var testFailures: [TestFailure] = []
}

/// A compiled governance statement.
enum GovernanceStep {
    case waive(WaiverPlan)
    case check([CompiledRule], Span)
    case why(CompiledRule, Int32, Span)
    case test(TestPlan)
    case expect(ExpectPlan)
    case testAssert(TestAssertPlan)
}

/// `waive ...` after checking: the values to evaluate when it runs.
struct WaiverPlan {
    let rule: String
    let kind: EntityKind
    let entityID: String
    let until: Eval
    let approver: Eval
    let reason: Eval
    let span: Span
}

/// What hosts may know about a declared rule (SARIF lists rules with their metadata).
public struct RuleInfo: Sendable, Hashable {
    public var id: String
    public var title: String
    public var severity: RuleSeverity
    public var kind: EntityKind
    /// Where the rule is declared (its id).
    public var span: Span
}

extension Session {
    // MARK: - Host interface

    /// The rules declared so far, in declaration order.
    public var rules: [RuleInfo] {
        state.book.all.map { RuleInfo(id: $0.id, title: $0.title, severity: $0.severity, kind: $0.kind, span: $0.span) }
    }

    /// Waivers registered so far (by `waive` statements that ran, or `addWaivers`).
    public var waivers: [Waiver] { governance.waivers }

    /// Registers waivers kept outside scripts (a workspace); later ones win over earlier ones.
    public func addWaivers(_ w: [Waiver]) { governance.waivers += w }

    /// Whether `test` blocks run when a script runs (default true; `pmo check` turns it off).
    public var runsTests: Bool {
        get { governance.runsTests }
        set { governance.runsTests = newValue }
    }

    /// The results of the tests run so far, in order.
    public var testResults: [TestResult] { governance.testResults }

    // MARK: - Compiling

    /// Compiles a governance statement (rule, waive, check, test, why; given and expect belong to tests).
    func compileGovernance(_ st: Stmt, _ c: Compiler, _ steps: inout [CompiledScript.Step]) {
        switch st.kind {
        case .rule(let decl):
            compileRule(decl, c)
        case .waive(let w):
            if let plan = compileWaiver(w, st.span, c) { steps.append(.governance(.waive(plan))) }
        case .check(let names):
            compileCheck(names, st.span, c, &steps)
        case .why(let name, let key, let keySpan):
            guard let rule = lookupRule(name, c) else { return }
            guard let row = lookupEntity(rule.kind, key, keySpan, c) else { return }
            steps.append(.governance(.why(rule, row, st.span)))
        case .test(let t):
            if let plan = compileTest(t, st.span, c) { steps.append(.governance(.test(plan))) }
        case .given(let set, _):
            c.error("'given' is only meaningful inside a test block", set.span)
        case .expect:
            if governance.inTest { compileExpect(st, c, &steps) } else {
                c.error("'expect' is only meaningful inside a test block", st.span)
            }
        default:
            break
        }
    }

    /// `rule ID "TITLE" ...`: compiles the set, then the condition, message, owner and remedy with one
    /// entity of the set in scope, and declares the rule. A rule declared again in another input
    /// replaces the earlier one (at the prompt, that is how a rule is corrected); twice in one file is an error.
    func compileRule(_ d: RuleDecl, _ c: Compiler) {
        let id = d.id.text
        if !governance.inTest, let old = state.book.rules[id], old.span.file == d.id.span.file, old.span != d.id.span {
            c.error("rule '\(id)' is declared twice in this file", d.id.span,
                    notes: [Diagnostic.Note("the first declaration is here", span: old.span)])
            return
        }
        let before = c.diagnostics.count
        let subject = c.compile(d.subject)
        let kind: EntityKind
        switch subject.type {
        case .rows(let k):
            kind = k
        default:
            if subject.type != .any || c.diagnostics.count == before {
                c.error("a rule's 'for' needs a set of entities, such as projects where phase = execution, but found \(subject.type)",
                        d.subject.span)
            }
            state.book.broken.insert(id)
            return
        }
        let shape = RowShape.entity(kind)
        let condition = c.inScope(shape) { c.compile(d.condition) }
        if condition.type != .bool && condition.type != .any {
            c.error("'require' needs a condition (true or false) but found \(condition.type)", d.condition.span,
                    help: "compare it with something, as in: require sponsor is not none")
        }
        func text(_ e: Expr?, _ clause: String) -> Eval? {
            guard let e else { return nil }
            let x = c.inScope(shape) { c.compile(e) }
            switch x.type {
            case .string, .any: break
            default: c.error("'\(clause)' needs text, such as \"{name} has no sponsor\", but found \(x.type)", e.span)
            }
            return x.eval
        }
        let message = text(d.message, "message")
        let remedy = text(d.remedy, "remedy")
        let owner = d.owner.map { e -> Eval in
            let x = c.inScope(shape) { c.compile(e) }
            switch x.type {
            case .rows, .table, .list, .record:
                c.error("'owner' needs one person or a name but found \(x.type)", e.span, help: "for example: owner manager")
            default: break
            }
            return x.eval
        }
        let rule = CompiledRule(decl: d, kind: kind, subject: subject.eval, condition: condition.eval,
                                message: message, owner: owner, remedy: remedy)
        if c.diagnostics.count > before { state.book.broken.insert(id) } else { state.book.broken.remove(id) }
        if state.book.rules[id] == nil { state.book.order.append(id) }
        state.book.rules[id] = rule
    }

    /// The rule named `name`, or nil after reporting it unknown (silently for a rule with errors).
    func lookupRule(_ name: Name, _ c: Compiler, declaredInTest: Set<String> = []) -> CompiledRule? {
        if let r = state.book.rules[name.text] { return r }
        if state.book.broken.contains(name.text) || declaredInTest.contains(name.text) { return nil }
        let known = state.book.order + Array(declaredInTest)
        if known.isEmpty {
            c.error("unknown rule '\(name.text)'", name.span, help: "no rule has been declared yet; declare one first: rule \(name.text) \"...\"")
        } else {
            let hint = Suggest.closest(to: name.text, in: known).map { "did you mean '\($0)'?" }
            c.error("unknown rule '\(name.text)'", name.span, help: hint)
        }
        return nil
    }

    /// The row of set `k` whose id (else exact name) is `key`, or nil after reporting it.
    func lookupEntity(_ k: EntityKind, _ key: String, _ span: Span, _ c: Compiler) -> Int32? {
        if let row = findEntity(k, key) { return row }
        let hint = Suggest.closest(to: key, in: entityKeys(k)).map { "did you mean \"\($0)\"?" }
        c.error("no \(k.singular) has the id or name \"\(key)\"", span, help: hint)
        return nil
    }

    /// `waive RULE for ENTITY "ID" until DATE by WHO because WHY`.
    func compileWaiver(_ w: WaiverDecl, _ span: Span, _ c: Compiler) -> WaiverPlan? {
        let rule = lookupRule(w.rule, c)
        guard let k = EntityKind(singular: w.entity.text) ?? EntityKind(setName: w.entity.text) else {
            let hint = Suggest.closest(to: w.entity.text, in: EntityKind.allCases.map(\.singular)).map { "did you mean '\($0)'?" }
            c.error("unknown entity type '\(w.entity.text)'", w.entity.span, help: hint)
            return nil
        }
        guard let rule else { return nil }
        guard k == rule.kind else {
            c.error("rule '\(rule.id)' checks \(rule.kind.setName), not \(k.setName)", w.entity.span,
                    help: "write: waive \(rule.id) for \(rule.kind.singular) \"ID\" ...")
            return nil
        }
        // A waiver may outlive its entity (an archived project, a waiver file shared by portfolios):
        // one naming an entity the portfolio does not have is a warning, and applies to nothing.
        var entityID = w.key
        if let row = findEntity(k, w.key) {
            entityID = entityLabel(k, row)
        } else {
            let hint = Suggest.closest(to: w.key, in: entityKeys(k)).map { "did you mean \"\($0)\"?" }
            c.diagnostics.append(Diagnostic(.warning, "no \(k.singular) has the id or name \"\(w.key)\"; this waiver applies to nothing",
                                            at: w.keySpan, help: hint))
        }
        let until = c.compile(w.until)
        switch until.type {
        case .date, .period, .any: break
        default: c.error("'until' needs the date the waiver expires, such as 2026-12-31, but found \(until.type)", w.until.span)
        }
        let approver = c.compile(w.approver), reason = c.compile(w.reason)
        for (x, e, what) in [(approver, w.approver, "'by' needs who approved the waiver"), (reason, w.reason, "'because' needs the reason")]
        where x.type != .string && x.type != .any {
            c.error("\(what), as text, but found \(x.type)", e.span)
        }
        return WaiverPlan(rule: rule.id, kind: k, entityID: entityID, until: until.eval,
                          approver: approver.eval, reason: reason.eval, span: span)
    }

    /// `check` (every rule declared so far) or `check RULE, ...`.
    func compileCheck(_ names: [Name], _ span: Span, _ c: Compiler, _ steps: inout [CompiledScript.Step]) {
        var rules: [CompiledRule] = []
        if names.isEmpty {
            rules = state.book.all
            if rules.isEmpty && state.book.broken.isEmpty {
                c.error("there are no rules to check", span, help: "declare one first: rule ID \"TITLE\" for SET require CONDITION")
                return
            }
        } else {
            var seen = Set<String>()
            for n in names {
                guard let r = lookupRule(n, c) else { continue }
                if seen.insert(r.id).inserted { rules.append(r) }
            }
        }
        steps.append(.governance(.check(rules, span)))
    }

    // MARK: - Running

    func executeGovernance(_ step: GovernanceStep, _ ctx: Ctx, _ emit: (Output) -> Void) throws {
        switch step {
        case .waive(let plan):
            let until: Day
            switch try plan.until(ctx) {
            case .date(let d): until = d
            case .period(let p): until = p.end
            case let v: throw RuntimeError("'until' needs a date but got \(v.typeName)", at: plan.span)
            }
            let approver = Display.text(try plan.approver(ctx), store: store)
            let reason = Display.text(try plan.reason(ctx), store: store)
            governance.waivers.append(Waiver(rule: plan.rule, kind: plan.kind, entityID: plan.entityID, until: until,
                                             approver: approver, reason: reason, span: plan.span))
        case .check(let rules, _):
            emit(.findings(try evaluate(rules, ctx)))
        case .why(let rule, let row, _):
            emit(.text(try why(rule, row, ctx)))
        case .test(let plan):
            guard governance.runsTests else { return }
            let result = runTest(plan, ctx)
            governance.testResults.append(result)
            emit(.text(result.report(sources)))
        case .expect(let plan):
            try runExpect(plan, ctx)
        case .testAssert(let plan):
            try runTestAssert(plan, ctx)
        }
    }
}
