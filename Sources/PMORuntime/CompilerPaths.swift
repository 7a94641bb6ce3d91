// Paths through a list of entities: `projects.manager.name`, `projects.sponsor.managed_projects`.
import PMOSyntax
import Portfolio

extension Compiler {
    /// A member of every entity of a list (the list a to-one field gives through a set:
    /// `projects.manager` is the projects' managers, none where a project has none). A field gives the
    /// list of its values, element by element (`projects.manager.name`); a to-many relationship gives
    /// the set of the related entities, each once (`projects.manager.managed_projects`).
    func listMember(_ k: EntityKind, _ base: @escaping Eval, _ name: Name, _ span: Span) -> Compiled {
        guard let (t, reader) = memberReader(k, name.text, span) else { return unknownMember(k, name) }
        if case .rows(let target) = t {
            return Compiled(.rows(target), { ctx in
                guard case .list(let items) = try base(ctx) else { return .none }
                var seen = Set<Int32>(), out: [Int32] = []
                for case .entity(_, let r) in items where seen.insert(r).inserted {
                    try ctx.tick(at: span)
                    guard case .rows(_, let related) = try reader(ctx, r) else { continue }
                    out.append(contentsOf: related)
                }
                // Each related entity once, in first-seen order.
                var once = Set<Int32>()
                return .rows(target, out.filter { once.insert($0).inserted })
            })
        }
        let element: VType
        if case .list(let e) = t { element = e } else { element = t }
        let flatten = element != t
        return Compiled(.list(element), { ctx in
            guard case .list(let items) = try base(ctx) else { return .none }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                try ctx.tick(at: span)
                guard case .entity(_, let r) = item else { if !flatten { out.append(.none) }; continue }
                let v = try reader(ctx, r)
                if flatten, case .list(let vs) = v { out.append(contentsOf: vs) } else { out.append(v) }
            }
            return .list(out)
        })
    }
}
