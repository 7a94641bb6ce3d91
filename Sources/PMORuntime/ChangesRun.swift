// Running a change: the rows it selects, their old and new values, checks that need the data (a
// value a field cannot hold, a reference to nothing, a row others refer to), then the plan goes to
// the host, which asks (more than one row at a terminal), applies it in one transaction and journals
// it. `undo` reverts this session's last change as a new journalled change.
import PMOBase
import PMOSyntax
import Portfolio

extension Session {
    /// Runs a change; returns whether the portfolio changed (the rest of the script is then checked
    /// again against the new data).
    func executeChange(_ s: ChangeStep, _ ctx: Ctx, _ emit: (Output) -> Void) throws -> Bool {
        guard let host = changeHost else { throw RuntimeError("this portfolio cannot be changed: \(readOnlyReason ?? "it is read-only")", at: s.span) }
        guard case .string(let reason) = try s.reason(ctx), !reason.isEmpty else {
            throw RuntimeError("the reason is none or empty: say why, the journal keeps it", at: s.span)
        }
        if store !== currentStore {
            throw RuntimeError("a change is made to the portfolio as it is now, but this script shows it as of \(ctx.asOf)", at: s.span,
                               help: "make the change before 'as of', or in a script of its own")
        }
        var effective = ctx.asOf
        if let e = s.effective {
            guard case .date(let d) = try e(ctx) else { throw RuntimeError("'effective' needs a date", at: s.span) }
            effective = d
        }
        let k = s.kind
        let schema = Catalog.schemas[k.rawValue]
        let table = store.table(k)
        let keyNames = Session.keyFields(k)
        var planned: [PlannedRow] = []
        switch s.action {
        case .insert:
            var changes: [FieldChange] = []
            for a in s.assignments {
                let f = schema.fields[a.field]
                changes.append(FieldChange(field: f.name, old: .none, new: try cellValue(try a.eval(ctx), f, a.span)))
            }
            let key = keyNames.map { n in changes.first { $0.field == n }.map { FieldChange(field: n, old: $0.new, new: $0.new) }
                ?? FieldChange(field: n, old: .none, new: .none) }
            let entity = ChangePlan.entityName(k, key)
            if keyNames == ["id"], store.idIndex(k)[entity] != nil {
                throw RuntimeError("\(k.singular) \"\(entity)\" already exists", at: s.span, help: "change it with update \(k.singular) \"\(entity)\" set ...")
            }
            planned.append(PlannedRow(entity: entity, key: key, changes: changes))
        case .update, .delete:
            guard let target = s.target else { return false }
            var rows: [Int32]
            switch try target(ctx) {
            case .rows(_, let rs): rows = rs
            case .entity(_, let r): rows = [r]
            default: rows = []
            }
            if rows.isEmpty {
                throw RuntimeError("no \(k.setName) match: nothing was changed", at: s.targetSpan)
            }
            var seen = Set<Int32>()
            rows = rows.filter { seen.insert($0).inserted }
            for r in rows {
                let key = keyNames.map { n -> FieldChange in
                    let v = table.column(n).map { CellValue.of($0, Int(r), store) } ?? .none
                    return FieldChange(field: n, old: v, new: v)
                }
                let entity = ChangePlan.entityName(k, key)
                var changes: [FieldChange] = []
                if s.action == .update {
                    ctx.base = 0
                    ctx.entityRows[0] = r
                    for a in s.assignments {
                        let f = schema.fields[a.field]
                        let new = try cellValue(try a.eval(ctx), f, a.span)
                        let old = CellValue.of(table.column(at: a.field), Int(r), store)
                        if k == .project && f.name == "status" { try statusNotShadowed(r, new, effective, a.span, reason) }
                        if old != new { changes.append(FieldChange(field: f.name, old: old, new: new)) }
                    }
                    if changes.isEmpty { continue }
                } else {
                    if let why = referredTo(k, r) {
                        throw RuntimeError("\(k.singular) \"\(entity)\" cannot be deleted: \(why)", at: s.targetSpan,
                                           help: "delete or change what refers to it first")
                    }
                    for (i, f) in schema.fields.enumerated() {
                        changes.append(FieldChange(field: f.name, old: CellValue.of(table.column(at: i), Int(r), store), new: .none))
                    }
                }
                planned.append(PlannedRow(entity: entity, key: key, changes: changes))
            }
        }
        if planned.isEmpty {
            emit(.text("nothing to change: the \(k.setName) already have these values"))
            return false
        }
        let plan = ChangePlan(kind: k, action: ChangePlan.Action(rawValue: s.action.rawValue) ?? .update, rows: planned,
                              reason: reason, effective: effective, source: s.source)
        if planned.count > 1 && !host.confirm(plan) {
            emit(.text("not changed"))
            return false
        }
        let result: (batch: Int64, store: PortfolioStore)
        do { result = try host.apply(plan) } catch {
            throw RuntimeError("the change was not made: \(error)", at: s.span)
        }
        changeBatches.append(result.batch)
        replaceStore(result.store)
        let verb = ["update": "updated", "insert": "inserted", "delete": "deleted"][s.action.rawValue] ?? s.action.rawValue
        let n = planned.count == 1 ? "1 \(k.singular)" : "\(planned.count) \(k.setName)"
        let what = planned.count == 1 ? " \"\(planned[0].entity)\"" : ""
        emit(.text("\(verb) \(n)\(what) (change \(result.batch), effective \(effective)): \(reason)"))
        return true
    }

    /// A project's `status` is its latest status report's `overall` (model.md); the stored field shows
    /// only without one. Setting the stored field of a project whose report on or before the change's
    /// date says otherwise would change nothing anyone sees: refused, with the statement that records it.
    func statusNotShadowed(_ r: Int32, _ new: CellValue, _ effective: Day, _ span: Span, _ reason: String) throws {
        guard let rep = store.latestStatusReport(project: r, asOf: effective),
              let overall = store.table(.statusReport).column("overall"),
              case .enumeration(let rag) = overall.field.type else { return }
        let shown = CellValue.of(overall, Int(rep), store)
        if shown.isNone || shown == new { return }
        let id = store.table(.project).column("id")?.string(Int(r)) ?? "?"
        let asOf = store.table(.statusReport).column("as_of").flatMap { CellValue.of($0, Int(rep), store).text(.date) } ?? "?"
        let value = new.text(.enumeration(rag)) ?? "none"
        let why = Printer.stringLiteral(reason)
        let fix = asOf == effective.description
            ? "update status_reports where project.id = \"\(id)\" and as_of = \(asOf) set overall = \(value) because \(why)"
            : "insert status_reports {project: \"\(id)\", as_of: \(effective), overall: \(value)} because \(why)"
        throw RuntimeError("the status of project \"\(id)\" is the overall of its status report of \(asOf) (\(shown.text(.enumeration(rag)) ?? "none")), "
                           + "not the stored field this would set: it would still show \(shown.text(.enumeration(rag)) ?? "none"); nothing was changed",
                           at: span, help: "record the new status as a status report: " + fix)
    }

    /// `undo`: the last change this session made that is not undone yet.
    func executeUndo(_ span: Span, _ source: String, _ emit: (Output) -> Void) throws -> Bool {
        guard let host = changeHost else { throw RuntimeError("this portfolio cannot be changed: \(readOnlyReason ?? "it is read-only")", at: span) }
        guard let batch = changeBatches.last else {
            throw RuntimeError("nothing to undo: this session has made no change", at: span,
                               help: "undo reverts the changes made since pmo started; the journal keeps earlier ones (pmo journal)")
        }
        let result: (summary: String, store: PortfolioStore)
        do { result = try host.undo(batch: batch, source: source) } catch {
            throw RuntimeError("could not undo change \(batch): \(error)", at: span)
        }
        changeBatches.removeLast()
        replaceStore(result.store)
        emit(.text(result.summary))
        return true
    }

    /// Why row `r` of `k` cannot be deleted: the rows that refer to it, if any.
    func referredTo(_ k: EntityKind, _ r: Int32) -> String? {
        for other in EntityKind.allCases {
            let t = store.table(other)
            for f in t.schema.fields {
                guard case .reference(let target) = f.type, target == k, let c = t.column(f.name) else { continue }
                let n = c.codes.reduce(0) { $0 + ($1 == r ? 1 : 0) }
                if n > 0 { return "\(n) \(n == 1 ? other.singular : other.setName) refer to it (\(f.name))" }
            }
        }
        if k == .project || k == .task, let id = store.table(k).column("id")?.string(Int(r)) {
            let t = store.table(.dependency)
            if let from = t.column("from"), let to = t.column("to") {
                for i in 0..<t.count where from.string(i) == id || to.string(i) == id { return "a dependency names it" }
            }
        }
        return nil
    }

    /// A runtime value as the stored value of field `f`, or an error saying why it cannot be.
    func cellValue(_ v: Value, _ f: FieldDef, _ span: Span) throws -> CellValue {
        func bad(_ why: String) -> RuntimeError { RuntimeError("'\(f.name)' cannot hold this value: \(why)", at: span) }
        switch (f.type, v) {
        case (_, .none):
            if f.required { throw RuntimeError("'\(f.name)' is required and cannot be none", at: span) }
            return .none
        case (.id, .string(let s)), (.string, .string(let s)):
            if s.isEmpty { throw bad("it is empty (write none for no value)") }
            return .text(s)
        case (.int, .int(let n)): return .int(n)
        case (.real, .real(let x)): return .real(x)
        case (.real, .int(let n)): return .real(Double(n))
        case (.bool, .bool(let b)): return .int(b ? 1 : 0)
        case (.money, .money(let m, let cur)):
            if cur != store.currency { throw bad("it is money in \(cur), not \(store.currency)") }
            return .int(m.units)
        case (.percent, .percent(let p)):
            if p.units < 0 || p.units > 10 * Fixed.scale { throw bad("\(p.plain(digits: 2)) is out of range (0 to 1000%)") }
            return .int(p.units)
        case (.hours, .hours(let h)):
            if h.units < 0 { throw bad("hours cannot be negative") }
            return .int(h.units)
        case (.date, .date(let d)):
            if !Day.isInRange(d.raw) { throw bad("the date is out of range") }
            return .date(d)
        case (.duration, .duration(let d)):
            if d.months != 0 || d.businessDays != 0 { throw bad("\(f.name) is kept in days; write it in d or w") }
            return .int(Int64(d.days))
        case (.enumeration(let e), .enumeration(let e2, let code)) where e == e2 && Int(code) < e.cases.count:
            return .text(e.cases[Int(code)])
        case (.enumeration(let e), .string(let s)):
            guard e.cases.contains(s) else { throw bad("'\(s)' is not one of \(e.cases.joined(separator: ", "))") }
            return .text(s)
        case (.reference(let t), .entity(let k2, let r)) where k2 == t:
            guard let id = store.table(t).column("id")?.string(Int(r)) else { throw bad("that \(t.singular) has no id") }
            return .reference(id)
        case (.reference(let t), .string(let s)):
            guard let r = store.find(t, key: s), let id = store.table(t).column("id")?.string(Int(r)) else {
                throw bad("there is no \(t.singular) \"\(s)\"")
            }
            return .reference(id)
        case (.stringList, .string(let s)): return .text(s)
        case (.stringList, .list(let items)):
            var out: [String] = []
            for i in items {
                guard case .string(let s) = i, !s.contains(";") else { throw bad("a tag must be text without ';'") }
                out.append(s)
            }
            return .text(out.joined(separator: ";"))
        default:
            throw bad("it is \(v.typeName), not \(VType.of(f.type, currency: store.currency))")
        }
    }
}
