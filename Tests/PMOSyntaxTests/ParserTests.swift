// Parser tests: tree shapes for every construct, spans, statements, the contextual words, and every
// example of language.md (outside its Rules and Scheduling sections) parsing without error.
import Testing
import Foundation
import PMOBase
@testable import PMOSyntax

private func source(_ text: String) -> SourceFile { SourceFile(id: 0, name: "<test>", bytes: Array(text.utf8)) }

/// The expression of a one-statement script with spans erased (`nil` when there were errors).
private func tree(_ text: String) -> ExprKind? {
    let (expr, diagnostics) = Parser.parseExpression(source(text))
    guard diagnostics.isEmpty, let e = expr else { return nil }
    return SpanEraser.expr(e).kind
}

/// The single statement of a script with spans erased (`nil` when there were errors).
private func statement(_ text: String) -> StmtKind? {
    let (script, diagnostics) = Parser.parse(source(text))
    guard diagnostics.isEmpty, script.statements.count == 1 else { return nil }
    return SpanEraser.stmt(script.statements[0]).kind
}

// Builders for expected trees (all spans `.unknown`).
private let u = Span.unknown
private func e(_ k: ExprKind) -> Expr { Expr(k, u) }
private func n(_ s: String) -> Expr { e(.name(s)) }
private func name(_ s: String) -> Name { Name(s, u) }
private func int(_ v: Int64) -> Expr { e(.literal(.integer(v))) }
private func str(_ s: String) -> Expr { e(.literal(.string(s))) }
private func bin(_ op: BinaryOp, _ l: Expr, _ r: Expr) -> Expr { e(.binary(op, l, r)) }
private func call(_ f: String, _ args: Expr...) -> Expr { e(.call(name(f), args)) }
private func member(_ b: Expr, _ m: String) -> Expr { e(.member(b, name(m))) }
private func stage(_ k: StageKind) -> Stage { Stage(k, u) }
private func item(_ alias: String?, _ x: Expr) -> ProjectionItem { ProjectionItem(alias: alias.map(name), expr: x) }

struct ParserTests {
    // MARK: - Expressions

    @Test func primariesParseToTheirNodes() {
        #expect(tree("x") == .name("x"))
        #expect(tree("this") == .this)
        #expect(tree("TODAY") == .today)
        #expect(tree("none") == ExprKind.none)
        #expect(tree("true") == .literal(.bool(true)))
        #expect(tree("$1.5M") == .literal(.money(Fixed(units: 15_000_000_000), currency: "USD")))
        #expect(tree("85%") == .literal(.percent(Fixed(units: 8_500))))
        #expect(tree("2026-Q4") == .literal(.period(.quarter(year: 2026, quarter: 4))))
        #expect(tree("10bd") == .literal(.duration(10, .businessDays)))
        #expect(tree("'raw {x}'") == .literal(.string("raw {x}")))
        #expect(tree("\"plain\"") == .literal(.string("plain")))
        #expect(tree("[1, 2,]") == .list([int(1), int(2)]))
        #expect(tree("{id: \"P1\", bac: 2}") == .record([RecordField(name: name("id"), value: str("P1")),
                                                       RecordField(name: name("bac"), value: int(2))]))
    }

    @Test func callsMembersAndMethodCalls() {
        #expect(tree("count()") == .call(name("count"), []))
        #expect(tree("f(a, b)") == .call(name("f"), [n("a"), n("b")]))
        #expect(tree("program.portfolio.name") == member(member(n("program"), "portfolio"), "name").kind)
        #expect(tree("r.utilization(w)") == .methodCall(n("r"), name("utilization"), [n("w")]))
        #expect(tree("2026-Q4.end") == .member(e(.literal(.period(.quarter(year: 2026, quarter: 4)))), name("end")))
        #expect(tree("latest_status.as_of") == member(n("latest_status"), "as_of").kind)
        #expect(tree("x.order.by") == member(member(n("x"), "order"), "by").kind)
    }

    @Test func callArgumentsArePipelines() {
        let inner = e(.pipeline(n("milestones"), [stage(.where(n("overdue")))]))
        #expect(tree("count(milestones where overdue)") == .call(name("count"), [inner]))
    }

    @Test func nameFollowedByStringIsAnEntityLookup() {
        #expect(tree("project \"PRJ-0042\"") == .entity(name("project"), str("PRJ-0042")))
        #expect(tree("project 'Apollo'.bac") == .member(e(.entity(name("project"), str("Apollo"))), name("bac")))
        #expect(tree("name = \"x\"") == .binary(.eq, n("name"), str("x")))
    }

    @Test func specialComparisons() {
        #expect(tree("x between 1 and 2") == .between(n("x"), int(1), int(2), negated: false))
        #expect(tree("x not between 1 and 2") == .between(n("x"), int(1), int(2), negated: true))
        #expect(tree("x in [1]") == .isIn(n("x"), e(.list([int(1)])), negated: false))
        #expect(tree("x not in y") == .isIn(n("x"), n("y"), negated: true))
        #expect(tree("x is none") == .isNone(n("x"), negated: false))
        #expect(tree("x is not none") == .isNone(n("x"), negated: true))
        #expect(tree("a starts with b") == .binary(.startsWith, n("a"), n("b")))
        #expect(tree("a ends with b") == .binary(.endsWith, n("a"), n("b")))
        #expect(tree("a CONTAINS b") == .binary(.contains, n("a"), n("b")))
        #expect(tree("a matches b") == .binary(.matches, n("a"), n("b")))
    }

    @Test func unaryOperators() {
        #expect(tree("-x") == .unary(.negate, n("x")))
        #expect(tree("not x") == .unary(.not, n("x")))
        #expect(tree("--x") == .unary(.negate, e(.unary(.negate, n("x")))))
        #expect(tree("-5") == .unary(.negate, int(5)))
    }

    @Test func ifChainsNestInTheElseBranch() {
        let inner = e(.ifThen(n("c"), n("d"), n("e")))
        #expect(tree("if a then b else if c then d else e") == .ifThen(n("a"), n("b"), inner))
    }

    @Test func interpolatedStringsParseTheirExpressions() {
        #expect(tree("\"{name} is over by {ac - bac}\"") ==
                .interpolated([.expr(n("name")), .text(" is over by "), .expr(bin(.sub, n("ac"), n("bac")))]))
        #expect(tree("\"a{{b}}{c}\"") == .interpolated([.text("a{b}"), .expr(n("c"))]))
        #expect(tree("\"{\"{x}\"}\"") == .interpolated([.expr(e(.interpolated([.expr(n("x"))])))]))
    }

    @Test func interpolationSpansAreInFileCoordinates() throws {
        let file = source("print \"n = {count(big)}!\"")
        let (script, diagnostics) = Parser.parse(file)
        #expect(diagnostics.isEmpty)
        guard case .print(let s)? = script.statements.first?.kind, case .interpolated(let parts) = s.kind,
              case .expr(let inner) = parts[1] else { Issue.record("not an interpolation"); return }
        #expect(file.text(inner.span) == "count(big)")
        #expect(file.text(s.span) == "\"n = {count(big)}!\"")
    }

    // MARK: - Pipelines and stages

    @Test func stagesWithAndWithoutPipesAreTheSame() {
        let a = tree("projects where status = red | sort spi | take 5")
        #expect(a != nil)
        #expect(a == tree("projects where status = red sort spi take 5"))
        #expect(a == tree("projects | where status = red | order by spi | limit 5"))
        #expect(a == tree("projects\n  | where status = red |\n  sort spi\n  | take 5"))
    }

    @Test func everyStageKind() {
        let stages: [Stage] = [
            stage(.where(n("a"))), stage(.sort([SortKey(expr: n("b"), descending: true), SortKey(expr: n("c"), descending: false)])),
            stage(.take(int(3))), stage(.select([item(nil, n("id")), item("p", member(n("program"), "name"))])),
            stage(.extend([item("u", call("f", n("w")))])), stage(.groupBy([item(nil, n("phase"))])),
            stage(.aggregate([item("n", call("count"))])), stage(.distinct([])), stage(.distinct([item(nil, n("x"))])),
            stage(.expand(name("w"), call("weeks", n("q")))), stage(.asOf(e(.literal(.date(Day(year: 2026, month: 9, day: 30) ?? Day(raw: 0)))))),
        ]
        let text = "t where a | sort b desc, c asc | take 3 | select id, p = program.name | extend u = f(w) | group by phase"
            + " | aggregate n = count() | distinct | distinct x | expand w in weeks(q) | as of 2026-09-30"
        #expect(tree(text) == .pipeline(n("t"), stages))
    }

    @Test func selectItemStartingWithNameAndEqualsIsAnAlias() {
        #expect(tree("p | select program = program.name") ==
                .pipeline(n("p"), [stage(.select([item("program", member(n("program"), "name"))]))]))
        #expect(tree("p | select (a = b)") == .pipeline(n("p"), [stage(.select([item(nil, bin(.eq, n("a"), n("b")))]))]))
        #expect(tree("p | select x = a = b") == .pipeline(n("p"), [stage(.select([item("x", bin(.eq, n("a"), n("b")))]))]))
    }

    @Test func ifBranchesAreExpressionsSoAPipeBelongsOutside() {
        let ifThen = e(.ifThen(n("a"), n("b"), n("c")))
        #expect(tree("if a then b else c | take 1") == .pipeline(ifThen, [stage(.take(int(1)))]))
        #expect(tree("p | extend s = if a then b else c | sort s") ==
                .pipeline(n("p"), [stage(.extend([item("s", ifThen)])), stage(.sort([SortKey(expr: n("s"), descending: false)]))]))
    }

    @Test func stageSpansRunFromKeywordToLastToken() {
        let file = source("projects where status = red | order by spi desc | take 5")
        let (expr, _) = Parser.parseExpression(file)
        guard case .pipeline(let src, let stages)? = expr?.kind else { Issue.record("not a pipeline"); return }
        #expect(file.text(src.span) == "projects")
        #expect(stages.map { file.text($0.span) } == ["where status = red", "order by spi desc", "take 5"])
        #expect(expr.map { file.text($0.span) } == file.text(Span(file: 0, start: 0, end: file.bytes.count)))
    }

    @Test func nodeSpansCoverTheirSourceText() {
        let file = source("(a + b) * -c.d(1) ?? f(x, [y]) and not z is none")
        let (expr, _) = Parser.parseExpression(file)
        var texts: [String] = []
        func walk(_ x: Expr) {
            texts.append(file.text(x.span))
            switch x.kind {
            case .binary(_, let l, let r): walk(l); walk(r)
            case .unary(_, let o), .isNone(let o, _): walk(o)
            case .methodCall(let b, _, let args): walk(b); args.forEach(walk)
            case .call(_, let args), .list(let args): args.forEach(walk)
            default: break
            }
        }
        if let x = expr { walk(x) }
        #expect(texts == ["(a + b) * -c.d(1) ?? f(x, [y]) and not z is none", "(a + b) * -c.d(1) ?? f(x, [y])",
                          "(a + b) * -c.d(1)", "(a + b)", "a", "b", "-c.d(1)", "c.d(1)", "c", "1", "f(x, [y])", "x", "[y]", "y",
                          "not z is none", "z is none", "z"])
    }

    // MARK: - Statements

    @Test func statementsParseToTheirKinds() {
        #expect(statement("let big = projects") == .let(name("big"), n("projects")))
        #expect(statement("def overrun(p) = p.ac") == .function(name("overrun"), [name("p")], member(n("p"), "ac")))
        #expect(statement("def f() = 1") == .function(name("f"), [], int(1)))
        #expect(statement("def project.burn = ac") == .computedField(entity: name("project"), field: name("burn"), n("ac")))
        #expect(statement("print x") == .print(n("x")))
        #expect(statement("use \"rules/common.pmo\"") == .use("rules/common.pmo", u))
        #expect(statement("as of 2026-09-30") == .asOf(e(.literal(.date(Day(year: 2026, month: 9, day: 30) ?? Day(raw: 0))))))
        #expect(statement("assert a, \"m\"") == .assert(n("a"), message: str("m")))
        #expect(statement("assert a") == .assert(n("a"), message: nil))
        #expect(statement("x + 1") == .expr(bin(.add, n("x"), int(1))))
        #expect(statement("explain cpi of project \"PRJ-0001\"") ==
                .explain(name("cpi"), [], of: e(.entity(name("project"), str("PRJ-0001")))))
        #expect(statement("explain utilization(2026-12) of r") ==
                .explain(name("utilization"), [e(.literal(.period(.month(year: 2026, month: 12))))], of: n("r")))
    }

    @Test func exportPipelineStopsBeforeTheWordTo() {
        let value = e(.pipeline(n("big"), [stage(.select([item(nil, n("id")), item(nil, n("bac"))]))]))
        #expect(statement("export big | select id, bac to \"big.csv\"") == .export(value, to: str("big.csv")))
        #expect(statement("export projects TO \"p.json\"") == .export(n("projects"), to: str("p.json")))
        // `to` stays an ordinary name elsewhere.
        #expect(statement("print to + 1") == .print(bin(.add, n("to"), int(1))))
    }

    @Test func contextualWordsAreOrdinaryNames() {
        #expect(tree("risks where owner is none and severity = high") != nil)
        #expect(tree("{severity: high, message: \"m\", on: 1, to: 2}") != nil)
    }

    @Test func statementSpansCoverTheStatement() {
        let file = source("let big = projects where bac > $5M   # comment\nprint big")
        let (script, _) = Parser.parse(file)
        #expect(script.statements.map { file.text($0.span) } == ["let big = projects where bac > $5M", "print big"])
    }

    @Test func nestingUpToTheLimitParses() {
        let deep = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(tree(deep) == .literal(.integer(1)))
        let list = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(tree(list) != nil)
        let (_, small) = Parser.parse(source("f(g(h(1)))"), maxDepth: 2)
        #expect(small.map(\.message) == ["expression is nested too deeply (more than 2 levels)"])
    }

    @Test func longChainsCountAsNestingBecauseTheTreeIsDeep() {
        let tooDeep = ["expression is nested too deeply (more than 200 levels)"]
        let sum = (0..<150).map { "a\($0)" }.joined(separator: " + ")
        #expect(tree(sum) != nil)
        for separator in [" + ", " ?? ", " and ", " or ", " * "] {
            let chain = (0..<5000).map { "a\($0)" }.joined(separator: separator)
            #expect(Parser.parse(source(chain)).1.map(\.message) == tooDeep)
        }
        #expect(Parser.parse(source(String(repeating: "not ", count: 5000) + "x")).1.map(\.message) == tooDeep)
        #expect(Parser.parse(source(String(repeating: "-", count: 5000) + "x")).1.map(\.message) == tooDeep)
        #expect(Parser.parse(source("x" + String(repeating: ".a", count: 5000))).1.map(\.message) == tooDeep)
    }

    // MARK: - language.md

    /// Every statement shown in language.md outside its Rules and Scheduling sections.
    static let languageExamples: [String] = [
        "#!/usr/bin/env pmo",
        "projects where status = red | sort spi | take 5",
        "projects WHERE status = red",
        "42", "3.14", "1_000_000", "1.5M", "$1.5M", "€250k", "£900", "250k EUR", "85%", "2026-11-22", "2026-11",
        "2026-Q4", "2026-W47", "FY2026", "30d", "2w", "3mo", "1y", "10bd", "today + 30d", "finish - start",
        "\"{name} is over budget by {ac - bac}\"", "\"{{\"", "'...'", "true", "false", "none", "today",
        "a ?? b", "if a then b else c", "1 / 0", "x in [a, b]", "x not in [a, b]", "x is none", "x is not none",
        "status = red", "phase = execution", "severity = high", "project \"PRJ-0042\"",
        "program.name", "program.portfolio.name", "sponsor.name", "overrun(this)", "2026-Q4.end",
        "weeks(a, b)", "months(a, b)", "quarters(a, b)", "weeks(2026-Q4)", "timesheets | group by week.month",
        "count()", "sum(bac)", "avg(x)", "min(x)", "max(x)", "median(x)", "list(x)",
        "projects where status = red and bac > $1M | sort spi | take 20 | select id, name, spi, cpi",
        "projects where count(milestones where overdue) >= 2",
        "projects where not exists(issues where state = open) and status = red",
        "projects where sponsor is none and bac > $1M",
        "projects where finish between 2026-10-01 and 2026-Q4.end",
        "milestones where due < today and completed is none | sort due",
        "risks where score >= 12 and owner is none",
        "resources where utilization(2026-12) > 100%",
        "resources | expand w in weeks(2026-Q4) | extend u = utilization(w)",
        "projects | group by program.name | select program = program.name, n = count(), bac = sum(bac), cpi = sum(ev) / sum(ac) | sort cpi",
        "projects where phase = execution | aggregate n = count(), budget = sum(bac), spi = sum(ev) / sum(pv)",
        "timesheets where week >= 2026-Q3.start | group by project | select project.name, cost = sum(cost) | sort cost desc | take 10",
        "timesheets | group by week.month | select month = week.month, hours = sum(hours), cost = sum(cost)",
        "resources | expand w in weeks(2026-Q4) | where overallocated(w) | select name, week = w, load = utilization(w) | sort load desc | take 10",
        "count(projects where status = red)",
        "status_reports | as of 2026-09-30",
        "let big = projects where bac > $5M            # a named value, evaluated once",
        "def overrun(p) = p.ac - p.bac                  # a function",
        "def band(p) = if p.bac >= $5M then \"large\" else if p.bac >= $1M then \"medium\" else \"small\"",
        "def project.burn = ac / weeks(start, today)    # a computed field, usable everywhere after",
        "print \"{count(big)} large projects\"",
        "export big | select id, name, bac to \"big.csv\"  # format from the extension: csv, json, md, html",
        "use \"rules/common.pmo\"                         # definitions and rules from another file",
        "as of 2026-09-30                               # the script's as-of date from here on",
        "assert count(projects where id is none) = 0, \"every project has an id\"",
    ]

    @Test(arguments: languageExamples)
    func languageExampleParses(_ text: String) {
        let (_, diagnostics) = Parser.parse(source(text))
        #expect(diagnostics.map(\.message) == [])
    }

    @Test func languageExamplesParseAsOneScript() {
        let (script, diagnostics) = Parser.parse(source(ParserTests.languageExamples.joined(separator: "\n")))
        #expect(diagnostics.isEmpty)
        #expect(script.statements.count == ParserTests.languageExamples.count - 1) // the `#!` line is a comment
    }
}

/// Erases spans from trees so that trees parsed from different texts compare equal.
enum SpanEraser {
    static func stmt(_ s: Stmt) -> Stmt {
        let k: StmtKind
        switch s.kind {
        case .expr(let x): k = .expr(expr(x))
        case .let(let nm, let x): k = .let(name(nm), expr(x))
        case .function(let nm, let ps, let x): k = .function(name(nm), ps.map(name), expr(x))
        case .computedField(let en, let f, let x): k = .computedField(entity: name(en), field: name(f), expr(x))
        case .print(let x): k = .print(expr(x))
        case .export(let x, let t): k = .export(expr(x), to: expr(t))
        case .use(let p, _): k = .use(p, .unknown)
        case .asOf(let x): k = .asOf(expr(x))
        case .assert(let c, let m): k = .assert(expr(c), message: m.map(expr))
        case .explain(let f, let args, let en): k = .explain(name(f), args.map(expr), of: expr(en))
        case .rule, .waive, .check, .test, .why, .given, .expect: k = governance(s.kind)
        case .schedule(let text, _): k = .schedule(text, .unknown)
        case .report(let r):
            k = .report(ReportDecl(title: r.title, titleSpan: .unknown, sections: r.sections.map {
                ReportSection(title: $0.title, titleSpan: .unknown, body: $0.body.map(stmt))
            }))
        case .chart(let kind, let args): k = .chart(name(kind), args.map(expr))
        case .change(let c):
            k = .change(ChangeDecl(action: c.action, set: name(c.set), key: c.key.map(expr), condition: c.condition.map(expr),
                                   assignments: c.assignments.map { RecordField(name: name($0.name), value: expr($0.value)) },
                                   reason: expr(c.reason), effective: c.effective.map(expr)))
        case .undo: k = .undo
        }
        return Stmt(k, .unknown)
    }

    static func name(_ n: Name) -> Name { Name(n.text, .unknown) }

    static func items(_ list: [ProjectionItem]) -> [ProjectionItem] {
        list.map { ProjectionItem(alias: $0.alias.map(name), expr: expr($0.expr)) }
    }

    static func stage(_ s: Stage) -> Stage {
        let k: StageKind
        switch s.kind {
        case .where(let x): k = .where(expr(x))
        case .sort(let keys): k = .sort(keys.map { SortKey(expr: expr($0.expr), descending: $0.descending) })
        case .take(let x): k = .take(expr(x))
        case .select(let i): k = .select(items(i))
        case .extend(let i): k = .extend(items(i))
        case .groupBy(let i): k = .groupBy(items(i))
        case .aggregate(let i): k = .aggregate(items(i))
        case .distinct(let i): k = .distinct(items(i))
        case .expand(let nm, let x): k = .expand(name(nm), expr(x))
        case .asOf(let x): k = .asOf(expr(x))
        }
        return Stage(k, .unknown)
    }

    static func expr(_ x: Expr) -> Expr {
        let k: ExprKind
        switch x.kind {
        case .literal, .name, .this, .today, .none: k = x.kind
        case .interpolated(let parts):
            k = .interpolated(parts.map { if case .expr(let p) = $0 { return .expr(expr(p)) } else { return $0 } })
        case .member(let b, let nm): k = .member(expr(b), name(nm))
        case .all(let nm): k = .all(name(nm))
        case .call(let nm, let args): k = .call(name(nm), args.map(expr))
        case .methodCall(let b, let nm, let args): k = .methodCall(expr(b), name(nm), args.map(expr))
        case .entity(let nm, let key): k = .entity(name(nm), expr(key))
        case .list(let items): k = .list(items.map(expr))
        case .record(let fields): k = .record(fields.map { RecordField(name: name($0.name), value: expr($0.value)) })
        case .unary(let op, let o): k = .unary(op, expr(o))
        case .binary(let op, let l, let r): k = .binary(op, expr(l), expr(r))
        case .between(let a, let b, let c, let neg): k = .between(expr(a), expr(b), expr(c), negated: neg)
        case .isIn(let a, let b, let neg): k = .isIn(expr(a), expr(b), negated: neg)
        case .isNone(let a, let neg): k = .isNone(expr(a), negated: neg)
        case .ifThen(let a, let b, let c): k = .ifThen(expr(a), expr(b), expr(c))
        case .pipeline(let s, let stages): k = .pipeline(expr(s), stages.map(stage))
        case .was(let f, let v, let form, let w): k = .was(expr(f), expr(v), form, w.map(window))
        case .changed(let f, let q):
            k = .changed(expr(f), ChangedQualifiers(from: q.from.map(expr), to: q.to.map(expr), by: q.by.map(expr), window: q.window.map(window)))
        }
        return Expr(k, .unknown)
    }

    static func window(_ w: HistoryWindow) -> HistoryWindow {
        switch w {
        case .during(let x): return .during(expr(x))
        case .after(let x): return .after(expr(x))
        case .before(let x): return .before(expr(x))
        case .on(let x): return .on(expr(x))
        }
    }
}

/// The example scripts shipped in `examples/` parse without errors and survive the printer.
struct ExampleScriptParseTests {
    static func exampleFiles() -> [String] {
        let root = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        var files: [String] = []
        for dir in ["examples", "examples/lib"] {
            let path = root + "/" + dir
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
            files += names.filter { $0.hasSuffix(".pmo") }.sorted().map { path + "/" + $0 }
        }
        return files
    }

    @Test func examplesParseAndRoundTrip() throws {
        let files = ExampleScriptParseTests.exampleFiles()
        #expect(files.count >= 5)
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(id: 0, name: path, bytes: Array(data))
            let (script, diagnostics) = Parser.parse(file)
            let sources = SourceMap()
            sources.add(name: path, bytes: Array(data))
            #expect(diagnostics.isEmpty, "\(DiagnosticRenderer(sources: sources).render(diagnostics))")
            let printed = Printer.print(script)
            let (again, errors) = Parser.parse(SourceFile(id: 0, name: path, bytes: Array(printed.utf8)))
            #expect(errors.isEmpty, "\(path): \(printed)")
            #expect(again.statements.map(SpanEraser.stmt) == script.statements.map(SpanEraser.stmt), "\(path)")
        }
    }
}
