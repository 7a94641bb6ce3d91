// Checking `update`, `insert` and `delete` like queries: the set, every field (stored, not computed,
// not the key), every value's type and unit, enumeration values, references to entities that exist,
// required fields, the reason and the effective date, before anything is written. Running them
// (ChangesRun.swift) builds a `ChangePlan` that the host applies through `ChangeHost`.
import PMOBase
import PMOSyntax
import Portfolio

/// What applies changes for a session: a host backed by a workspace. The library never writes.
public protocol ChangeHost: AnyObject {
    /// Whether to go ahead with a plan of more than one row (at a terminal: list the rows and ask).
    func confirm(_ plan: ChangePlan) -> Bool
    /// Applies the plan in one transaction and journals it; returns its batch and the portfolio after it.
    func apply(_ plan: ChangePlan) throws -> (batch: Int64, store: PortfolioStore)
    /// Reverts a batch as a new journalled batch; returns what it did and the portfolio after it.
    func undo(batch: Int64, source: String) throws -> (summary: String, store: PortfolioStore)
}

/// A checked change statement.
struct ChangeStep {
    let action: ChangeDecl.Action
    let kind: EntityKind
    /// Update and delete: the rows (`.rows` or `.entity`).
    let target: Eval?
    let targetSpan: Span
    /// Field index in the schema, the value, where it was written.
    let assignments: [(field: Int, eval: Eval, span: Span)]
    let reason: Eval
    let effective: Eval?
    let span: Span
    let source: String
}

extension Session {
    func compileChange(_ d: ChangeDecl, _ c: Compiler, _ file: SourceFile, _ span: Span) -> ChangeStep? {
        guard let k = d.key != nil ? (EntityKind(singular: d.set.text) ?? EntityKind(setName: d.set.text))
                                   : EntityKind(setName: d.set.text) else {
            let names = d.key != nil ? EntityKind.allCases.map(\.singular) : EntityKind.allCases.map(\.setName)
            let hint = Suggest.closest(to: d.set.text, in: names).map { "did you mean '\($0)'?" }
            c.error("unknown entity set '\(d.set.text)'", d.set.span, help: hint ?? "the sets are " + names.joined(separator: ", "))
            return nil
        }
        if changeHost == nil {
            c.error("this portfolio cannot be changed: \(readOnlyReason ?? "it is read-only")", span,
                    help: "changes are made in a workspace: pmo init --import DIR, then pmo --workspace FILE")
        }
        let schema = Catalog.schemas[k.rawValue]
        let keyFields = Set(Session.keyFields(k))
        // The rows.
        var target: Eval?
        var targetSpan = d.set.span
        if let key = d.key {
            let x = c.entityLookup(d.set, key, key.span)
            target = x.eval
            targetSpan = key.span
        } else if d.action != .insert {
            var stages: [Stage] = []
            if let cond = d.condition {
                stages.append(Stage(.where(cond), cond.span))
                targetSpan = cond.span
            }
            let source = Expr(.name(k.setName), d.set.span)
            let x = c.compile(stages.isEmpty ? source : Expr(.pipeline(source, stages), d.set.span.merged(with: targetSpan)))
            target = x.eval
        }
        // The fields.
        var assignments: [(field: Int, eval: Eval, span: Span)] = []
        var seen = Set<String>()
        let savedScopes = c.scopes
        if d.action == .update { c.scopes = [ScopeLevel(shape: .entity(k), grouped: false)] }
        for a in d.assignments {
            let name = a.name.text
            guard let fi = schema.fieldIndex(name) else {
                if schema.computedDef(name) != nil || c.state.fields[k]?[name] != nil {
                    c.error("'\(name)' is computed from other fields and cannot be changed", a.name.span,
                            help: "change the stored fields it is computed from")
                } else {
                    let hint = Suggest.closest(to: name, in: schema.fields.map(\.name)).map { "did you mean '\($0)'?" }
                    c.error("unknown field '\(name)' on \(k.singular)", a.name.span,
                            help: hint ?? "the fields of \(k.setName) are " + schema.fields.map(\.name).joined(separator: ", "))
                }
                continue
            }
            if !seen.insert(name).inserted { c.error("'\(name)' is given twice", a.name.span); continue }
            if d.action == .update && keyFields.contains(name) {
                c.error("'\(name)' is the key of \(k.setName) and cannot be changed", a.name.span,
                        help: "delete the \(k.singular) and insert it again under its new key")
                continue
            }
            let f = schema.fields[fi]
            guard let ev = compileValue(a.value, f, c) else { continue }
            assignments.append((fi, ev, a.value.span))
        }
        c.scopes = savedScopes
        if d.action == .insert {
            let missing = schema.fields.filter { ($0.required || keyFields.contains($0.name)) && !seen.contains($0.name) }.map(\.name)
            if !missing.isEmpty {
                c.error("a new \(k.singular) needs \(missing.joined(separator: ", "))", d.set.span,
                        help: "add " + missing.map { "\($0): ..." }.joined(separator: ", ") + " to the braces")
            }
        }
        if d.action == .update && d.assignments.isEmpty { c.error("'set' needs at least one field", span) }
        // The reason and the date.
        let r = c.compile(d.reason)
        if r.type != .string && r.type != .any { c.error("'because' needs the reason as text but found \(r.type)", d.reason.span) }
        if let cv = r.constant, case .string(let s) = cv, s.allSatisfy({ $0 == " " || $0 == "\t" }) {
            c.error("the reason is empty: say why, the journal keeps it", d.reason.span)
        }
        var effective: Eval?
        if let e = d.effective {
            let x = c.compile(e)
            if x.type != .date && x.type != .any { c.error("'effective' needs a date but found \(x.type)", e.span) }
            effective = x.eval
        }
        let source = changeSource ?? "script \(file.name)"
        return ChangeStep(action: d.action, kind: k, target: target, targetSpan: targetSpan, assignments: assignments,
                          reason: r.eval, effective: effective, span: span, source: source)
    }

    /// A value for field `f`, checked against its type: a bare enumeration value or one as text, an
    /// entity or an id for a reference (which must exist), money, percent, hours, dates, durations.
    func compileValue(_ e: Expr, _ f: FieldDef, _ c: Compiler) -> Eval? {
        let want = VType.of(f.type, currency: c.currency)
        if case .enumeration(let en) = f.type {
            if case .name(let n) = e.kind, !c.isResolvable(n) { return c.enumConstant(n, en, e.span).eval }
            if case .literal(.string(let s)) = e.kind { return c.enumConstant(s, en, e.span).eval }
        }
        if case .reference(let target) = f.type, case .literal(.string(let s)) = e.kind {
            guard let row = c.store.find(target, key: s) else {
                let ids = Array(c.store.idIndex(target).keys)
                let hint = Suggest.closest(to: s, in: ids).map { "did you mean \"\($0)\"?" }
                c.error("no \(target.singular) has the id or name \"\(s)\"", e.span, help: hint)
                return nil
            }
            return { _ in .entity(target, row) }
        }
        if case .none = e.kind {
            if f.required { c.error("'\(f.name)' is required and cannot be none", e.span); return nil }
            return { _ in .none }
        }
        let x = c.compile(e)
        if x.type == .any || x.type == want { return x.eval }
        switch (f.type, x.type) {
        case (.real, .int), (.stringList, .string), (.stringList, .list(.string)), (.id, .string): return x.eval
        case (.reference, .string):
            return x.eval
        case (.money, .money(let cur)):
            c.error("'\(f.name)' is money in \(c.currency) but this is money in \(cur)", e.span)
            return nil
        case (.money, .int), (.money, .real):
            c.error("'\(f.name)' is money but this is a plain number", e.span, help: "write the amount with its currency, such as $1.2M")
            return nil
        default:
            c.error("'\(f.name)' is \(want) but this is \(x.type)", e.span)
            return nil
        }
    }

    /// The fields that name an entity of `k`: its id, or its natural key.
    static func keyFields(_ k: EntityKind) -> [String] { History.keyFields(k) }
}
