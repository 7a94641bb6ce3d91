// More query shapes for the differential fuzzer: computed columns (`extend`), `expand`, `distinct`,
// `avg` and `median`, each with its SQL translation under pmo's semantics (exact fixed-point money
// rounded half to even; a median of an even count is the mean of the middle two).
import PMOBase
import Portfolio

extension QueryGenerator {
    static let fixedKinds: Set<String> = ["money", "percent", "hours"]

    /// `s / n` rounded half to even, as pmo divides exact amounts (SQLite's `/` truncates integers).
    static func halfEven(_ s: String, _ n: String) -> String {
        func mag(_ x: String) -> String {
            "((\(x)) / (\(n)) + CASE WHEN 2 * ((\(x)) % (\(n))) > (\(n)) OR (2 * ((\(x)) % (\(n))) = (\(n)) AND ((\(x)) / (\(n))) % 2 = 1) THEN 1 ELSE 0 END)"
        }
        return "CASE WHEN (\(n)) = 0 THEN NULL WHEN (\(s)) >= 0 THEN \(mag(s)) ELSE -\(mag("-(\(s))")) END"
    }

    mutating func moreShapes(_ k: EntityKind, _ src: String, _ from: String, _ sc: String) -> GeneratedQuery? {
        let numeric = fields(k, ["int", "money", "percent", "hours"])
        switch rng.below(5) {
        case 0:
            // A computed column from two fields of one unit, aggregated or filtered on.
            guard let a = numeric.randomPair(&rng) else { return nil }
            let op = rng.pick(["+", "-"])
            let x = "(t.\"\(a.0.name)\" \(op) t.\"\(a.1.name)\")"
            if rng.chance(50) {
                return GeneratedQuery(
                    pmo: "\(src) | extend x = \(a.0.name) \(op) \(a.1.name) | aggregate n = count(), s = sum(x), lo = min(x), hi = max(x)",
                    sql: "SELECT count(*), COALESCE(sum(\(x)), 0), min(\(x)), max(\(x)) \(from)", ordered: true)
            }
            let c = constant(k, a.0)
            if rng.chance(40) {
                // The same as a computed field of the set, defined by the script (`def risk.fz = ...`).
                return GeneratedQuery(pmo: "def \(k.singular).fz = \(a.0.name) \(op) \(a.1.name)\n\(src) | where fz > \(c.pmo) | aggregate n = count(), s = sum(fz)",
                                      sql: "SELECT count(*), COALESCE(sum(\(x)), 0) \(from) AND \(x) > \(c.sql)", ordered: true)
            }
            return GeneratedQuery(pmo: "\(src) | extend x = \(a.0.name) \(op) \(a.1.name) | where x > \(c.pmo) | count",
                                  sql: "SELECT count(*) \(from) AND \(x) > \(c.sql)", ordered: true)
        case 1:
            // `expand` over a project's milestones (or risks), then a condition on the element.
            guard k == .project else { return nil }
            let rel = rng.pick([("milestones", EntityKind.milestone), ("risks", .risk), ("tasks", .task)])
            let inner = fields(rel.1, QueryGenerator.comparable)
            guard !inner.isEmpty else { return nil }
            let f = rng.pick(inner)
            let c = constant(rel.1, f)
            let op = f.type == .bool ? rng.pick(["=", "!="]) : rng.pick(["=", "<", ">=", "!="])
            return GeneratedQuery(
                pmo: "\(src) | expand m in \(rel.0) | where m.\(f.name) \(op) \(c.pmo) | count",
                sql: "SELECT count(*) FROM \(SQLMirror.table(k)) t JOIN \(SQLMirror.table(rel.1)) m ON m.project = t._row "
                    + "WHERE (\(sc)) AND m.\"\(f.name)\" \(op == "!=" ? "<>" : op) \(c.sql)", ordered: true)
        case 2:
            // `distinct` over one or two enumerated, bool or date fields (none is one value, as in SQL).
            let keys = fields(k, ["enumeration", "bool", "date"])
            guard !keys.isEmpty else { return nil }
            let g = rng.pick(keys), h = rng.pick(keys)
            let two = g.name != h.name && rng.chance(50)
            let names = two ? "\(g.name), \(h.name)" : g.name
            let cols = two ? "t.\"\(g.name)\", t.\"\(h.name)\"" : "t.\"\(g.name)\""
            if rng.chance(50) {
                return GeneratedQuery(pmo: "\(src) | distinct \(names) | count",
                                      sql: "SELECT count(*) FROM (SELECT DISTINCT \(cols) \(from))", ordered: true)
            }
            return GeneratedQuery(pmo: "\(src) | distinct \(names)", sql: "SELECT DISTINCT \(cols) \(from)", ordered: false)
        case 3:
            // `avg`: of integers a double, of exact amounts the exact quotient rounded half to even.
            guard !numeric.isEmpty else { return nil }
            let f = rng.pick(numeric)
            let col = "t.\"\(f.name)\""
            let avg = f.type == .int ? "1.0 * sum(\(col)) / count(\(col))" : QueryGenerator.halfEven("sum(\(col))", "count(\(col))")
            return GeneratedQuery(pmo: "\(src) | aggregate a = avg(\(f.name))", sql: "SELECT \(avg) \(from)", ordered: true)
        default:
            // `median`: the middle value, or the mean of the middle two.
            guard !numeric.isEmpty else { return nil }
            let f = rng.pick(numeric)
            let col = "t.\"\(f.name)\""
            let middle = "SELECT x FROM v ORDER BY x LIMIT 2 - (SELECT n FROM c) % 2 OFFSET ((SELECT n FROM c) - 1) / 2"
            let value = f.type == .int ? "avg(x)" : QueryGenerator.halfEven("sum(x)", "count(x)")
            return GeneratedQuery(
                pmo: "\(src) | aggregate m = median(\(f.name))",
                sql: "WITH v AS (SELECT \(col) AS x \(from) AND \(col) IS NOT NULL), c AS (SELECT count(*) AS n FROM v) "
                    + "SELECT \(value) FROM (\(middle))", ordered: true)
        }
    }
}

extension Array where Element == FieldDef {
    /// Two fields of the same unit (possibly the same field twice), or nil.
    func randomPair(_ rng: inout SeededRandom) -> (FieldDef, FieldDef)? {
        guard !isEmpty else { return nil }
        let a = rng.pick(self)
        let same = filter { QueryGenerator.kindName($0.type) == QueryGenerator.kindName(a.type) }
        return (a, rng.pick(same))
    }
}
