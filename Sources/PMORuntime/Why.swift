// `why RULE on "ID"`: a rule's condition evaluated for one entity, each sub-expression with its value.
//
// The condition's tree is walked once per rule and every node is compiled on its own in the rule's
// scope (a node that means nothing alone, such as the bare enumerated value in `status = red`, is
// left out). The same probe names the missing field of an unknown outcome.
import PMOBase
import PMOSyntax
import Portfolio

/// One node of a condition, compiled on its own.
final class ProbeNode {
    let expr: Expr
    /// The node as written in its source.
    let text: String
    /// Nil when the node cannot be evaluated alone.
    let eval: Eval?
    let children: [ProbeNode]

    init(expr: Expr, text: String, eval: Eval?, children: [ProbeNode]) {
        self.expr = expr; self.text = text; self.eval = eval; self.children = children
    }

    /// Literals are not worth showing: their value is what is written.
    var isLiteral: Bool {
        switch expr.kind {
        case .literal, .none: return true
        case .unary(.negate, let x): if case .literal = x.kind { return true } else { return false }
        default: return false
        }
    }
}

extension Session {
    /// The rule's probe (built on first use).
    func probe(_ r: CompiledRule) -> ProbeNode {
        if let p = r.probe { return p }
        let p = buildProbe(r.decl.condition, kind: r.kind)
        r.probe = p
        return p
    }

    /// Compiles every node of `e` on its own with one entity of set `kind` in scope.
    func buildProbe(_ e: Expr, kind: EntityKind) -> ProbeNode {
        let c = Compiler(store: store, state: state)
        c.scopes = [ScopeLevel(shape: .entity(kind), grouped: false)]
        return probeNode(e, c, depth: 0)
    }

    func probeNode(_ e: Expr, _ c: Compiler, depth: Int) -> ProbeNode {
        let compiled = c.compile(e)
        let ok = c.diagnostics.isEmpty
        c.diagnostics.removeAll()
        var kids: [Expr] = []
        switch e.kind {
        case .unary(_, let x), .isNone(let x, _): kids = [x]
        case .binary(_, let l, let r): kids = [l, r]
        case .between(let x, let lo, let hi, _): kids = [x, lo, hi]
        case .isIn(let x, let list, _): kids = [x, list]
        case .ifThen(let cond, let a, let b): kids = [cond, a, b]
        case .member(let base, _): kids = [base]
        case .call(_, let args): kids = args
        case .methodCall(let base, _, let args): kids = [base] + args
        default: kids = []
        }
        let children = depth < 40 ? kids.map { probeNode($0, c, depth: depth + 1) } : []
        return ProbeNode(expr: e, text: sourceText(e), eval: ok ? compiled.eval : nil, children: children)
    }

    /// The text `why` shows: the rule, whether its set includes the entity (and if not, which `where`
    /// left it out), the condition as a tree of values, and the outcome.
    func why(_ r: CompiledRule, _ row: Int32, _ ctx: Ctx) throws -> String {
        let id = entityLabel(r.kind, row)
        let name = entityName(r.kind, row)
        var lines: [String] = []
        lines.append("why \(r.id) on \(r.kind.singular) \"\(id)\"" + (name != id ? " (\(name))" : ""))
        lines.append("rule \(r.id)" + (r.decl.title.map { " \"\($0)\"" } ?? "") + ", severity \(r.severity.rawValue)")
        let findings = try evaluate(r, ctx, only: row)
        guard let f = findings.first else {
            lines.append("for \(sourceText(r.decl.subject)): \(id) is not in this set, so the rule does not check it")
            lines += try exclusion(r, row, ctx)
            lines.append("outcome: not checked")
            return lines.joined(separator: "\n")
        }
        lines.append("for \(sourceText(r.decl.subject)): \(id) is in this set")
        bind(row, ctx)
        lines += tree(probe(r), ctx, label: "require ")
        switch f.outcome {
        case .pass: lines.append("outcome: pass")
        case .violation: lines.append("outcome: violation: \(f.message)")
        case .unknown: lines.append("outcome: unknown: \(f.missing ?? "a value") is none, so the rule cannot tell")
        case .error: lines.append("outcome: \(f.message)")
        }
        if let w = f.waiver {
            if f.waiverExpired {
                lines.append("waiver: by \(w.approver) because \(w.reason), expired on \(w.until)")
            } else {
                lines.append("waiver: by \(w.approver) until \(w.until) because \(w.reason)")
            }
        }
        if f.outcome != .pass {
            if let o = f.owner { lines.append("owner: \(o)") }
            if let x = f.remedy { lines.append("remedy: \(x)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Why the rule's set leaves an entity out: the first `where` of `SET where ... | where ...` that
    /// is not true for it, as a tree.
    func exclusion(_ r: CompiledRule, _ row: Int32, _ ctx: Ctx) throws -> [String] {
        guard case .pipeline(let src, let stages) = r.decl.subject.kind, case .name(let setName) = src.kind,
              EntityKind(setName: setName) == r.kind else { return [] }
        for stage in stages {
            guard case .where(let cond) = stage.kind else { return [] }
            let node = buildProbe(cond, kind: r.kind)
            bind(row, ctx)
            guard let ev = node.eval else { return [] }
            if case .bool(true) = try ev(ctx) { continue }
            bind(row, ctx)
            return tree(node, ctx, label: "where ")
        }
        return []
    }

    /// A node and its children as lines: `label + text = value`, then `├─ ` / `└─ ` branches.
    func tree(_ root: ProbeNode, _ ctx: Ctx, label: String) -> [String] {
        var lines: [String] = []
        func value(_ n: ProbeNode) -> Value? {
            guard let ev = n.eval else { return nil }
            return try? ev(ctx)
        }
        func walk(_ n: ProbeNode, _ prefix: String, _ childPrefix: String, depth: Int) {
            let v = value(n)
            lines.append(prefix + n.text + " = " + (v.map { whyText($0) } ?? "?"))
            guard depth < 8 else { return }
            var shown = n.children.filter { !$0.isLiteral && $0.eval != nil }
            // A field read through a relationship shows its base only when the field is none.
            if case .member = n.expr.kind, let v, !v.isNone { shown = [] }
            for (i, child) in shown.enumerated() {
                let last = i == shown.count - 1
                walk(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), depth: depth + 1)
            }
        }
        walk(root, label, "", depth: 0)
        return lines
    }

    /// A value as `why` shows it: text quoted, entities by id (a status report by its date).
    func whyText(_ v: Value) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .entity(.statusReport, let row):
            let t = store.table(.statusReport)
            if let c = t.column("as_of"), row >= 0, Int(row) < t.count, !c.isNone(Int(row)) {
                return "the status report of \(Day(raw: c.codes[Int(row)]))"
            }
            return Display.text(v, store: store)
        case .entity(let k, let row):
            let id = entityLabel(k, row)
            let name = entityName(k, row)
            return name == id ? "\(k.singular) \(id)" : "\(k.singular) \(id) (\(name))"
        default: return Display.text(v, store: store)
        }
    }
}
