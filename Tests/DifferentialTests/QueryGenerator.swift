// Random well-typed pmo pipelines over the model and their translation into SQL with pmo's semantics
// (three-valued logic as in SQL; a sum of no rows is 0; none sorts last in both directions).
@testable import PMOSyntax
import PMOBase
import Portfolio

/// SplitMix64: a small seeded generator, so a failure reproduces from its seed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

/// One generated query: its pmo text, its SQL, and whether the order of rows matters.
struct GeneratedQuery {
    var pmo: String
    var sql: String
    var ordered: Bool
}

struct QueryGenerator {
    let store: PortfolioStore
    var rng: SeededRandom

    /// Stored fields the generator compares, per set (no strings: pmo's text comparison is case-insensitive).
    static let comparable: Set<String> = ["int", "money", "percent", "hours", "date", "enumeration", "bool"]

    /// Stored fields of `k` of these kinds, leaving out those pmo reads computed (a project's status
    /// is its latest report's RAG, not the stored column).
    func fields(_ k: EntityKind, _ kinds: Set<String>) -> [FieldDef] {
        let schema = Catalog.schemas[k.rawValue]
        return schema.fields.filter {
            kinds.contains(QueryGenerator.kindName($0.type)) && schema.computedDef($0.name) == nil
                && !(k == .project && $0.name == "status")
        }
    }

    static func kindName(_ t: FieldType) -> String {
        switch t {
        case .int: return "int"
        case .money: return "money"
        case .percent: return "percent"
        case .hours: return "hours"
        case .date: return "date"
        case .enumeration: return "enumeration"
        case .bool: return "bool"
        case .reference: return "reference"
        case .string, .id: return "text"
        default: return "other"
        }
    }

    /// A constant for a field: mostly a value the column holds, so comparisons hit.
    mutating func constant(_ k: EntityKind, _ f: FieldDef) -> (pmo: String, sql: String) {
        let t = store.table(k)
        guard let c = t.column(f.name) else { return ("none", "NULL") }
        var r = t.count > 0 ? rng.below(t.count) : 0
        for _ in 0..<5 where t.count > 0 && c.isNone(r) { r = rng.below(t.count) }
        switch f.type {
        case .int:
            let v: Int64 = t.count > 0 && !c.isNone(r) ? c.ints[r] : Int64(rng.below(100))
            return (String(v), String(v))
        case .money:
            let v: Int64 = t.count > 0 && !c.isNone(r) ? c.ints[r] : Int64(rng.below(1_000_000)) * 10_000
            return (Writer.literal(.money(Fixed(units: v), currency: store.currency)), String(v))
        case .percent:
            let v: Int64 = t.count > 0 && !c.isNone(r) ? c.ints[r] : Int64(rng.below(100)) * 100
            return (Writer.literal(.percent(Fixed(units: v))), String(v))
        case .hours:
            let v: Int64 = t.count > 0 && !c.isNone(r) ? c.ints[r] : Int64(rng.below(80)) * 10_000
            return (Writer.literal(.hours(Fixed(units: v))), String(v))
        case .date:
            let v: Int32 = t.count > 0 && !c.isNone(r) ? c.codes[r] : 20_700 + Int32(rng.below(200))
            return (Day(raw: v).description, String(v))
        case .enumeration(let e):
            let code = rng.below(e.cases.count)
            return (e.cases[code], String(code))
        case .bool:
            let b = rng.chance(50)
            return (b ? "true" : "false", b ? "1" : "0")
        default:
            return ("none", "NULL")
        }
    }

    /// A field reference in pmo and SQL: `f` or, through a to-one reference, `project.f`.
    mutating func operand(_ k: EntityKind, _ alias: String) -> (EntityKind, FieldDef, String, String)? {
        let own = fields(k, QueryGenerator.comparable)
        let refs = Catalog.schemas[k.rawValue].fields.filter {
            if case .reference(let target) = $0.type { return SQLMirror.kinds.contains(target) && target != k }
            return false
        }
        if !refs.isEmpty && rng.chance(20) {
            let ref = rng.pick(refs)
            guard case .reference(let target) = ref.type else { return nil }
            let tf = fields(target, QueryGenerator.comparable)
            guard !tf.isEmpty else { return nil }
            let f = rng.pick(tf)
            return (target, f, "\(ref.name).\(f.name)",
                    "(SELECT \"\(f.name)\" FROM \(SQLMirror.table(target)) WHERE _row = \(alias).\"\(ref.name)\")")
        }
        guard !own.isEmpty else { return nil }
        let f = rng.pick(own)
        return (k, f, f.name, "\(alias).\"\(f.name)\"")
    }

    /// A condition over rows of `k` (SQL alias `alias`), at most `depth` levels of and/or/not.
    mutating func condition(_ k: EntityKind, _ alias: String, depth: Int) -> (String, String) {
        if depth > 0 && rng.chance(45) {
            switch rng.below(3) {
            case 0:
                let (a, b) = condition(k, alias, depth: depth - 1), (c, d) = condition(k, alias, depth: depth - 1)
                return ("(\(a) and \(c))", "(\(b) AND \(d))")
            case 1:
                let (a, b) = condition(k, alias, depth: depth - 1), (c, d) = condition(k, alias, depth: depth - 1)
                return ("(\(a) or \(c))", "(\(b) OR \(d))")
            default:
                let (a, b) = condition(k, alias, depth: depth - 1)
                return ("not (\(a))", "NOT (\(b))")
            }
        }
        if k == .project && rng.chance(15) { return subPipeline(alias, depth: depth) }
        if k == .program && rng.chance(30) { return pathPipeline(alias, depth: depth) }
        let refs = Catalog.schemas[k.rawValue].fields.filter { if case .reference = $0.type { return true }; return false }
        if rng.chance(12), !refs.isEmpty {
            let f = rng.pick(refs)
            let neg = rng.chance(50)
            return ("\(f.name) is \(neg ? "not " : "")none", "\(alias).\"\(f.name)\" IS \(neg ? "NOT " : "")NULL")
        }
        if rng.chance(12), let t = textCondition(k, alias) { return t }
        if k == .milestone && rng.chance(15) {
            // A computed field of the model with an SQL oracle: due before the as-of date and not
            // completed by it (none when due is none).
            let asOf = PortfolioGenerator.statusDate.raw
            let sql = "(CASE WHEN \(alias).due IS NULL THEN NULL WHEN \(alias).completed IS NOT NULL AND \(alias).completed <= \(asOf) THEN 0 ELSE \(alias).due < \(asOf) END)"
            return rng.chance(50) ? ("overdue", sql) : ("overdue = false", "\(sql) = 0")
        }
        guard let (ok, f, p, s) = operand(k, alias) else { return ("true", "1") }
        switch rng.below(10) {
        case 0:
            let neg = rng.chance(50)
            return ("\(p) is \(neg ? "not " : "")none", "\(s) IS \(neg ? "NOT " : "")NULL")
        case 1 where f.type != .bool:
            let a = constant(ok, f), b = constant(ok, f)
            let neg = rng.chance(30)
            return ("\(p) \(neg ? "not " : "")between \(a.pmo) and \(b.pmo)", "\(neg ? "NOT " : "")(\(s) BETWEEN \(a.sql) AND \(b.sql))")
        case 2:
            if case .enumeration = f.type {
                let a = constant(ok, f), b = constant(ok, f)
                let neg = rng.chance(30)
                return ("\(p) \(neg ? "not " : "")in [\(a.pmo), \(b.pmo)]", "\(s) \(neg ? "NOT " : "")IN (\(a.sql), \(b.sql))")
            }
            fallthrough
        default:
            let ops = f.type == .bool ? ["=", "!="] : ["=", "!=", "<", "<=", ">", ">="]
            let op = rng.pick(ops)
            let c = constant(ok, f)
            return ("\(p) \(op) \(c.pmo)", "\(s) \(op == "!=" ? "<>" : op) \(c.sql)")
        }
    }

    /// A condition on a text field: `=`, `!=` (exact), `contains`, `starts with`, `ends with` (ignoring
    /// case, as pmo's text tests do), `length(f) > n`, or a text ordering.
    mutating func textCondition(_ k: EntityKind, _ alias: String) -> (String, String)? {
        let texts = fields(k, ["text"])
        guard !texts.isEmpty else { return nil }
        let f = rng.pick(texts)
        let t = store.table(k)
        guard let c = t.column(f.name), t.count > 0 else { return nil }
        var word = c.string(rng.below(t.count)) ?? "x"
        let col = "\(alias).\"\(f.name)\""
        func sq(_ x: String) -> String { "'" + x.replacingOccurrences(of: "'", with: "''") + "'" }
        switch rng.below(6) {
        case 0, 1:
            let op = rng.pick(["=", "!=", "<", ">="])
            return ("\(f.name) \(op) \(Writer.quoted(word))", "\(col) \(op == "!=" ? "<>" : op) \(sq(word))")
        case 2:
            let n = rng.below(30)
            return ("length(\(f.name)) > \(n)", "length(\(col)) > \(n)")
        default:
            if word.count > 3 && word.allSatisfy(\.isASCII) {
                let a = rng.below(word.count - 2), len = 1 + rng.below(3)
                word = String(word.dropFirst(a).prefix(len))
                if rng.chance(50) { word = word.uppercased() }
            }
            guard word.allSatisfy(\.isASCII) else { return nil }
            switch rng.below(3) {
            case 0: return ("\(f.name) contains \(Writer.quoted(word))", "instr(lower(\(col)), lower(\(sq(word)))) > 0")
            case 1: return ("\(f.name) starts with \(Writer.quoted(word))", "substr(lower(\(col)), 1, \(word.count)) = lower(\(sq(word)))")
            default: return ("\(f.name) ends with \(Writer.quoted(word))", "substr(lower(\(col)), -\(word.count)) = lower(\(sq(word))) AND length(\(col)) >= \(word.count)")
            }
        }
    }

    /// `count(milestones where C) > n` or `exists(risks where C)` inside a project row.
    mutating func subPipeline(_ alias: String, depth: Int) -> (String, String) {
        let rel = rng.pick([("milestones", EntityKind.milestone), ("risks", .risk), ("issues", .issue),
                            ("tasks", .task), ("allocations", .allocation)])
        let inner = "s\(depth)\(rng.below(1000))"
        let (c, sc) = condition(rel.1, inner, depth: max(0, depth - 1))
        let from = "FROM \(SQLMirror.table(rel.1)) \(inner) WHERE \(inner).project = \(alias)._row AND (\(sc))"
        if rng.chance(30) { return ("exists(\(rel.0) where \(c))", "EXISTS (SELECT 1 \(from))") }
        let n = rng.below(4)
        let op = rng.pick([">", ">=", "=", "<"])
        return ("count(\(rel.0) where \(c)) \(op) \(n)", "(SELECT count(*) \(from)) \(op) \(n)")
    }

    /// A path through a to-many relationship inside a program row: `count(projects.milestones where C) >= n`
    /// (the flattened set, the filter bound to its elements) or `sum(projects.bac) > X`.
    mutating func pathPipeline(_ alias: String, depth: Int) -> (String, String) {
        let rel = rng.pick([("milestones", EntityKind.milestone), ("risks", .risk), ("issues", .issue), ("tasks", .task)])
        let inner = "p\(depth)\(rng.below(1000))", via = inner + "j"
        let (c, sc) = condition(rel.1, inner, depth: max(0, depth - 1))
        let from = "FROM \(SQLMirror.table(rel.1)) \(inner) JOIN t_projects \(via) ON \(inner).project = \(via)._row "
            + "WHERE \(via).program = \(alias)._row AND (\(sc))"
        let n = rng.below(6)
        let op = rng.pick([">", ">=", "=", "<"])
        if rng.chance(25) {
            let m = constant(.project, FieldDef("bac", .money, ""))
            return ("sum(projects.bac) \(op) \(m.pmo)",
                    "(SELECT COALESCE(sum(q.bac), 0) FROM t_projects q WHERE q.program = \(alias)._row) \(op) \(m.sql)")
        }
        return ("count(projects.\(rel.0) where \(c)) \(op) \(n)", "(SELECT count(*) \(from)) \(op) \(n)")
    }

    /// A whole query over one of the sets.
    mutating func query() -> GeneratedQuery {
        let k = rng.pick([EntityKind.project, .project, .milestone, .risk, .issue, .task, .allocation, .program])
        let (c, sc) = condition(k, "t", depth: 3)
        let from = "FROM \(SQLMirror.table(k)) t WHERE \(sc)"
        let src = "\(k.setName) where \(c)"
        let numeric = fields(k, ["int", "money", "percent", "hours"])
        let hasId = Catalog.schemas[k.rawValue].fieldIndex("id") != nil
        if rng.chance(45), let q = moreShapes(k, src, from, sc) { return q }
        switch rng.below(4) {
        case 0:
            return GeneratedQuery(pmo: "\(src) | count", sql: "SELECT count(*) \(from)", ordered: true)
        case 1 where !numeric.isEmpty:
            let f = rng.pick(numeric).name
            return GeneratedQuery(
                pmo: "\(src) | aggregate n = count(), s = sum(\(f)), lo = min(\(f)), hi = max(\(f))",
                sql: "SELECT count(*), COALESCE(sum(t.\"\(f)\"), 0), min(t.\"\(f)\"), max(t.\"\(f)\") \(from)", ordered: true)
        case 2 where !numeric.isEmpty:
            let keys = fields(k, ["enumeration", "bool"])
            guard !keys.isEmpty else { fallthrough }
            let g = rng.pick(keys).name, f = rng.pick(numeric).name
            return GeneratedQuery(
                pmo: "\(src) | group by \(g) | select g = \(g), n = count(), s = sum(\(f))",
                sql: "SELECT t.\"\(g)\", count(*), COALESCE(sum(t.\"\(f)\"), 0) \(from) GROUP BY t.\"\(g)\"", ordered: false)
        default:
            guard hasId else { return GeneratedQuery(pmo: "\(src) | count", sql: "SELECT count(*) \(from)", ordered: true) }
            let sortable = fields(k, QueryGenerator.comparable.subtracting(["bool"]))
            let n = 1 + rng.below(12)
            guard !sortable.isEmpty else { return GeneratedQuery(pmo: "\(src) | take \(n) | select id", sql: "SELECT t.id \(from) ORDER BY t._row LIMIT \(n)", ordered: true) }
            let f = rng.pick(sortable).name
            let desc = rng.chance(50)
            return GeneratedQuery(
                pmo: "\(src) | sort \(f)\(desc ? " desc" : "") | take \(n) | select id",
                sql: "SELECT t.id \(from) ORDER BY t.\"\(f)\" IS NULL, t.\"\(f)\"\(desc ? " DESC" : ""), t._row LIMIT \(n)", ordered: true)
        }
    }
}
