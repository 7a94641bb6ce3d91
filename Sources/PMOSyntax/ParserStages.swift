// Pipeline stages: where, sort/order by, take/limit, select, extend, group by, aggregate, distinct, expand, as of.

extension Parser {
    /// True when the cursor is at line breaks and the next line begins with a stage keyword, so it
    /// continues the pipeline above it (language.md "Layout"). `as of` continues only when indented:
    /// in the first column it is the statement that sets the script's as-of date.
    var nextLineStartsStage: Bool {
        guard current.kind == .newline else { return false }
        var i = pos
        while i < tokens.count - 1 && tokens[i].kind == .newline { i += 1 }
        return Parser.beginsStage(tokens, i) && !(tokens[i].isKeyword(.as) && isAtLineStart(tokens[i]))
    }

    /// Whether a line of input begins with a stage keyword (not `as of`, which at the start of a line
    /// is the statement): at the prompt such a line continues the pipeline entered before it.
    public static func beginsWithStage(_ line: String) -> Bool {
        let tokens = Lexer.tokenize(SourceFile(id: 0, name: "<input>", bytes: Array(line.utf8)))
        guard let i = tokens.firstIndex(where: { $0.kind != .newline }) else { return false }
        return beginsStage(tokens, i) && !tokens[i].isKeyword(.as)
    }

    /// Whether the token at `i` begins a stage.
    static func beginsStage(_ tokens: [Token], _ i: Int) -> Bool {
        guard i < tokens.count, case .keyword(let k) = tokens[i].kind else { return false }
        switch k {
        case .where, .sort, .order, .take, .limit, .select, .extend, .group, .aggregate, .distinct, .expand: return true
        case .as: return i + 1 < tokens.count && tokens[i + 1].isKeyword(.of)
        default: return false
        }
    }

    /// True when the current token begins a stage: a stage keyword, or `as` followed by `of`.
    var atStage: Bool {
        guard case .keyword(let k) = current.kind else { return false }
        switch k {
        case .where, .sort, .order, .take, .limit, .select, .extend, .group, .aggregate, .distinct, .expand:
            return true
        case .as:
            return peek(1).isKeyword(.of)
        default:
            return false
        }
    }

    /// ```
    /// stage = "where" expr
    ///       | ("sort" | "order" "by") sortKey { "," sortKey }
    ///       | ("take" | "limit") expr
    ///       | "select" item { "," item } | "extend" item { "," item }
    ///       | "group" "by" item { "," item } | "aggregate" item { "," item }
    ///       | "distinct" [ item { "," item } ]
    ///       | "expand" NAME "in" expr
    ///       | "as" "of" expr
    /// ```
    /// The stage's span runs from its keyword to its last token.
    mutating func parseStage() throws -> Stage {
        let keyword = advance()
        let start = keyword.span.start
        let kind: StageKind
        switch keyword.kind {
        case .keyword(.where):
            kind = .where(try parseExpression())
        case .keyword(.sort):
            kind = .sort(try parseSortKeys())
        case .keyword(.order):
            try expect(.by, "after 'order'")
            kind = .sort(try parseSortKeys())
        case .keyword(.take), .keyword(.limit):
            kind = .take(try parseExpression())
        case .keyword(.select):
            kind = .select(try parseItems())
        case .keyword(.extend):
            kind = .extend(try parseItems())
        case .keyword(.group):
            try expect(.by, "after 'group'")
            kind = .groupBy(try parseItems())
        case .keyword(.aggregate):
            kind = .aggregate(try parseItems())
        case .keyword(.distinct):
            kind = .distinct(atStageEnd ? [] : try parseItems())
        case .keyword(.expand):
            let name = try expectName("after 'expand'")
            try expect(.in, "after 'expand \(name.text)'")
            kind = .expand(name, try parseExpression())
        case .keyword(.as):
            try expect(.of, "after 'as'")
            kind = .asOf(try parseExpression())
        default:
            throw failure("expected a pipeline stage but found \(keyword.displayName)", at: keyword.span)
        }
        return Stage(kind, span(from: start))
    }

    /// True when nothing more of a stage follows: a line break, `|`, `;`, a closing bracket, `to`, another stage or the end.
    var atStageEnd: Bool {
        let t = current
        switch t.kind {
        case .newline, .endOfInput, .symbol(.pipe), .symbol(.semicolon), .symbol(.rparen), .symbol(.rbracket),
             .symbol(.rbrace), .symbol(.comma), .keyword(.else), .keyword(.then):
            return true
        default:
            return t.isWord("to") || atStage
        }
    }

    /// `sortKey = expr [ "asc" | "desc" ]`, separated by commas.
    mutating func parseSortKeys() throws -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            skipNewlines()
            let e = try parseExpression()
            var descending = false
            if accept(.desc) != nil { descending = true } else { _ = accept(.asc) }
            keys.append(SortKey(expr: e, descending: descending))
        } while accept(.comma) != nil
        return keys
    }

    /// `item = [ NAME "=" ] expr`, separated by commas. An item that starts with a name and `=` is an
    /// alias: `select program = program.name` names the column `program`; to select a comparison,
    /// give it a name (`select late = finish > due`) or parenthesize it.
    mutating func parseItems() throws -> [ProjectionItem] {
        var items: [ProjectionItem] = []
        repeat {
            skipNewlines()
            var alias: Name?
            if case .identifier(let text) = current.kind, peek(1).isSymbol(.eq) {
                alias = Name(text, advance().span)
                advance()
            }
            items.append(ProjectionItem(alias: alias, expr: try parseExpression()))
        } while accept(.comma) != nil
        return items
    }
}
