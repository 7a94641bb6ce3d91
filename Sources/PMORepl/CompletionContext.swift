// Where the word before the cursor stands, read from the language's own tokens: which entity set
// is in scope, whether an operand, a stage, a member after `.` or an enumerated value comes next.
import PMORuntime
import PMOSyntax
import Portfolio

/// What the value before a `.` (or a comparison) is, as far as completion needs to know.
enum ValueShape: Equatable {
    case entity(EntityKind)
    case date
    case period
    case enumeration(EnumType)
    case other
}

/// What kind of word may come at the cursor.
enum CompletionSite: Equatable {
    /// Nothing before it in the statement: statements, sets, names.
    case statementStart
    /// An expression: fields of the entity in scope (if any), sets, functions, names.
    case operand(EntityKind?)
    /// After a complete operand: stage keywords and operators (plus `then`/`else` inside an `if`).
    case afterOperand(EntityKind?, inIf: Bool)
    /// After `|`: a stage.
    case stage
    /// After `.`: the members of a value of this shape.
    case member(ValueShape)
    /// After a comparison with (or in a list for) an enumerated field.
    case enumValue(EnumType)
    /// Only these words fit (`by` after `group`, `of` after `as`...).
    case only([String])
    /// In a history condition (`status was `, `status changed from `): the field's values (when it is
    /// enumerated) and the words that may follow.
    case history(EnumType?, [String])
    /// A new name or something completion cannot help with.
    case nothing
}

/// Reads the tokens before the cursor. `variableType` and `userFields` come from the session.
struct CompletionAnalyzer {
    var variableType: (String) -> VType? = { _ in nil }
    var userFields: (EntityKind) -> [String] = { _ in [] }

    static let stageKeywords: Set<Keyword> = [.where, .sort, .order, .take, .limit, .select, .extend, .group, .aggregate, .distinct, .expand]
    /// Keywords after which an expression comes.
    static let operandKeywords: Set<Keyword> = [
        .where, .sort, .take, .limit, .select, .extend, .aggregate, .distinct, .by, .and, .or, .not, .then, .else, .if,
        .between, .contains, .matches, .with, .print, .assert, .in, .of, .export,
    ]
    static let valueKeywords: Set<Keyword> = [.none, .true, .false, .today, .this, .asc, .desc]

    private struct Level {
        var entity: EntityKind?
        var stage: Keyword?
        var enumList: EnumType?
    }

    /// The site of a word whose preceding text lexed to `tokens`.
    func site(_ all: [Token]) -> CompletionSite {
        // The current statement: after the last `;`, without line breaks (pending lines are one input).
        var tokens: [Token] = []
        for t in all {
            switch t.kind {
            case .symbol(.semicolon): tokens.removeAll()
            case .newline, .endOfInput: continue
            default: tokens.append(t)
            }
        }
        guard let last = tokens.last else { return .statementStart }
        if case .error = last.kind { return .nothing }
        if isDefinitionHead(tokens) { return .nothing }

        var levels = [Level()]
        // `def project.burn = ...`: the body is evaluated on a project.
        if tokens.count > 2, tokens[0].isKeyword(.def), case .identifier(let word) = tokens[1].kind, tokens[2].isSymbol(.dot) {
            levels[0].entity = EntityKind(singular: word) ?? EntityKind(setName: word)
        }
        var ifs = 0
        for i in tokens.indices {
            let t = tokens[i]
            let afterDot = i > 0 && tokens[i - 1].isSymbol(.dot)
            switch t.kind {
            case .symbol(.lparen), .symbol(.lbracket), .symbol(.lbrace):
                var level = Level(entity: levels[levels.count - 1].entity)
                if t.isSymbol(.lbracket), i > 0, tokens[i - 1].isKeyword(.in),
                   case .enumeration(let e)? = shapeOfChain(tokens, end: operandEnd(before: i - 1, tokens), levels[levels.count - 1].entity) {
                    level.enumList = e
                }
                levels.append(level)
            case .symbol(.rparen), .symbol(.rbracket), .symbol(.rbrace):
                if levels.count > 1 { levels.removeLast() }
            case .identifier(let name) where !afterDot:
                if let k = sourceKind(name, scope: levels[levels.count - 1].entity) { levels[levels.count - 1].entity = k }
            case .keyword(let k) where CompletionAnalyzer.stageKeywords.contains(k):
                levels[levels.count - 1].stage = k
            case .keyword(.if): ifs += 1
            case .keyword(.else): ifs = max(0, ifs - 1)
            default: break
            }
        }
        let level = levels[levels.count - 1]
        let scope = level.entity
        let n = tokens.count - 1
        if let h = historySite(tokens, n, scope) { return h }

        switch last.kind {
        case .symbol(.dot):
            guard n > 0 else { return .nothing }
            return .member(shapeOfChain(tokens, end: n - 1, scope) ?? .other)
        case .symbol(.pipe):
            return .stage
        case .symbol(.eq), .symbol(.ne), .symbol(.lt), .symbol(.le), .symbol(.gt), .symbol(.ge):
            guard n > 0, !isAlias(tokens, chainEnd: n - 1, level: level) else { return .operand(scope) }
            if case .enumeration(let e)? = shapeOfChain(tokens, end: n - 1, scope) { return .enumValue(e) }
            return .operand(scope)
        case .symbol(.lbracket), .symbol(.comma):
            if let e = level.enumList { return .enumValue(e) }
            return .operand(scope)
        case .symbol(.rparen), .symbol(.rbracket), .symbol(.rbrace):
            return .afterOperand(scope, inIf: ifs > 0)
        case .symbol:
            return .operand(scope)
        case .keyword(.group), .keyword(.order):
            return .only(["by"])
        case .keyword(.as):
            return .only(["of"])
        case .keyword(.starts), .keyword(.ends):
            return .only(["with"])
        case .keyword(.is):
            return .only(["none", "not"])
        case .keyword(.not) where n > 0 && tokens[n - 1].isKeyword(.is):
            return .only(["none"])
        case .keyword(.let), .keyword(.def), .keyword(.expand), .keyword(.use):
            return .nothing
        case .keyword(let k) where CompletionAnalyzer.valueKeywords.contains(k):
            return .afterOperand(scope, inIf: ifs > 0)
        case .keyword(let k) where CompletionAnalyzer.operandKeywords.contains(k):
            return .operand(scope)
        case .keyword:
            return .nothing
        case .identifier:
            if n > 0, tokens[n - 1].isKeyword(.let) || tokens[n - 1].isKeyword(.expand) { return .nothing }
            if tokens[0].isKeyword(.export) && last.isWord("to") { return .operand(scope) }
            return .afterOperand(scope, inIf: ifs > 0)
        default:
            return .afterOperand(scope, inIf: ifs > 0)
        }
    }

    /// The qualifiers of `F changed`.
    static let changedWords = ["from", "to", "by", "during", "after", "before", "on"]

    /// `F was `, `F was not `, `F changed `, `F changed from `, `F changed ... to `: what a history
    /// condition (language.md, "Changes and history") takes there.
    private func historySite(_ tokens: [Token], _ n: Int, _ scope: EntityKind?) -> CompletionSite? {
        func values(_ end: Int) -> EnumType? {
            if case .enumeration(let e)? = shapeOfChain(tokens, end: end, scope) { return e }
            return nil
        }
        let last = tokens[n]
        if last.isWord("was") && n > 0 { return .history(values(n - 1), ["in", "not"]) }
        if last.isKeyword(.not) && n > 1 && tokens[n - 1].isWord("was") { return .history(values(n - 2), []) }
        if last.isWord("changed") && n > 0 { return .history(nil, CompletionAnalyzer.changedWords) }
        if last.isWord("from") || last.isWord("to") {
            // Back over earlier qualifiers (`from green`) to `changed`.
            var j = n - 1
            while j > 0 && !tokens[j].isWord("changed") && n - j <= 4 { j -= 1 }
            if j > 0 && tokens[j].isWord("changed") { return .history(values(j - 1), []) }
        }
        return nil
    }

    /// `def f(a, b` or `def project.burn`: a new name is being written, not an expression.
    private func isDefinitionHead(_ tokens: [Token]) -> Bool {
        guard tokens.first?.isKeyword(.def) == true else { return false }
        return !tokens.contains { $0.isSymbol(.eq) }
    }

    /// The entity set a name makes current when it is used as a source: a set (`milestones`), a
    /// relationship of the entity in scope (`subtasks`), or a `let` variable holding a set.
    func sourceKind(_ name: String, scope: EntityKind?) -> EntityKind? {
        if let k = EntityKind(setName: name) { return k }
        if let s = scope, let rel = Catalog.schemas[s.rawValue].toManyDef(name) { return rel.target }
        if case .rows(let k)? = variableType(name) { return k }
        return nil
    }

    /// The index of the last token of the operand that ends just before `index` (skipping a `not`
    /// of `not in`).
    private func operandEnd(before index: Int, _ tokens: [Token]) -> Int {
        var j = index - 1
        if j >= 0 && tokens[j].isKeyword(.not) { j -= 1 }
        if j >= 0 && tokens[j].isWord("was") { j -= 1 }   // `status was in [`
        return j
    }

    /// `select name = ...`, `let x = ...`: the name before `=` is being defined, not compared.
    private func isAlias(_ tokens: [Token], chainEnd: Int, level: Level) -> Bool {
        guard chainEnd >= 0, case .identifier = tokens[chainEnd].kind else { return false }
        let before = chainEnd - 1
        if before < 0 { return false }
        let t = tokens[before]
        if t.isKeyword(.let) || t.isKeyword(.select) || t.isKeyword(.extend) || t.isKeyword(.aggregate) || t.isKeyword(.by) {
            return true
        }
        if t.isSymbol(.comma), let stage = level.stage, [.select, .extend, .aggregate, .group].contains(stage) { return true }
        return false
    }

    /// The shape of the chain `a.b.c` whose last token is at `end`, with `scope` the entity in scope.
    func shapeOfChain(_ tokens: [Token], end: Int, _ scope: EntityKind?) -> ValueShape? {
        guard end >= 0, end < tokens.count else { return nil }
        var members: [String] = []
        var i = end
        while true {
            guard let name = memberName(tokens[i]) else { break }
            if i >= 2, tokens[i - 1].isSymbol(.dot) {
                members.insert(name, at: 0)
                i -= 2
            } else {
                break
            }
        }
        guard var shape = baseShape(tokens, at: i, scope) else { return nil }
        for m in members {
            guard let next = member(m, of: shape) else { return nil }
            shape = next
        }
        return shape
    }

    private func memberName(_ t: Token) -> String? {
        switch t.kind {
        case .identifier(let s): return s
        case .keyword(let k): return k.rawValue
        default: return nil
        }
    }

    /// The shape of the first element of a chain.
    private func baseShape(_ tokens: [Token], at i: Int, _ scope: EntityKind?) -> ValueShape? {
        let t = tokens[i]
        switch t.kind {
        case .identifier(let name):
            if let s = scope, let shape = member(name, of: .entity(s)) { return shape }
            if let k = EntityKind(setName: name) { return .entity(k) }
            switch variableType(name) {
            case .entity(let k)?, .rows(let k)?: return .entity(k)
            case .date?: return .date
            case .period?: return .period
            case .enumeration(let e)?: return .enumeration(e)
            case nil: return nil
            default: return .other
            }
        case .keyword(.this): return scope.map { .entity($0) }
        case .keyword(.today), .date: return .date
        case .period: return .period
        case .string, .rawString:
            // `project "PRJ-0042"`: one entity.
            guard i > 0, case .identifier(let word) = tokens[i - 1].kind, let k = EntityKind(singular: word) else { return nil }
            return .entity(k)
        default: return nil
        }
    }

    /// The shape of `base.name`, or nil when `base` has no such member.
    func member(_ name: String, of base: ValueShape) -> ValueShape? {
        switch base {
        case .entity(let k):
            let schema = Catalog.schemas[k.rawValue]
            if let i = schema.fieldIndex(name) {
                switch schema.fields[i].type {
                case .reference(let target): return .entity(target)
                case .date: return .date
                case .enumeration(let e): return .enumeration(e)
                default: return .other
                }
            }
            if let rel = schema.toManyDef(name) { return .entity(rel.target) }
            if let c = schema.computedDef(name) {
                switch c.type {
                case .entity(let target): return .entity(target)
                case .date: return .date
                case .enumeration(let e): return .enumeration(e)
                default: return .other
                }
            }
            return userFields(k).contains(name) ? .other : nil
        case .date:
            switch name {
            case "week", "month", "quarter", "year": return .period
            case "day", "weekday": return .other
            default: return nil
            }
        case .period:
            switch name {
            case "start", "end": return .date
            case "days": return .other
            default: return nil
            }
        case .enumeration, .other:
            return nil
        }
    }

    /// The members offered after `.` on a value of this shape.
    func members(of shape: ValueShape) -> [String] {
        switch shape {
        case .entity(let k): return Catalog.schemas[k.rawValue].allNames + userFields(k)
        case .date: return ["week", "month", "quarter", "year", "day", "weekday"]
        case .period: return ["start", "end", "days"]
        case .enumeration, .other: return []
        }
    }
}
