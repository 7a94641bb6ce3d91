// Expressions: precedence climbing over the operator table, prefix and postfix forms, and primaries.

// Every function on the recursive path (pipeline → binary → prefix → postfix → primary → bracket)
// keeps its own work small and hands the rest to helpers, so one level of nesting costs little stack
// (debug builds give each local of a function its own slot, so big functions make deep input crash).

extension Parser {
    /// `pipeline = expr { ["|"] stage }`. A `|` at the end of a line or at the start of the next one
    /// continues the pipeline; a stage keyword right after the expression starts a stage without `|`.
    mutating func parsePipeline() throws -> Expr {
        let source = try parseExpression()
        guard atStage || nextAfterNewlines.isSymbol(.pipe) || nextLineStartsStage else { return source }
        return try parseStages(after: source)
    }

    /// The stages after a pipeline's source.
    mutating func parseStages(after source: Expr) throws -> Expr {
        var stages: [Stage] = []
        while true {
            if continues({ $0.isSymbol(.pipe) }) {
                advance()
                skipNewlines()
                // `| count` (as in KQL and jq): the number of rows, short for `aggregate count = count()`.
                if current.isWord("count") && !peek(1).isSymbol(.lparen) {
                    let word = advance()
                    let name = Name("count", word.span)
                    let call = Expr(.call(name, []), word.span)
                    stages.append(Stage(.aggregate([ProjectionItem(alias: name, expr: call)]), word.span))
                    continue
                }
                guard atStage else {
                    var failure = expected("a pipeline stage such as 'where', 'sort' or 'select' after '|'")
                    if current.isWord("count") {
                        failure.diagnostic?.help = "the number of rows is '| count' (without brackets); count() is for 'group by' and 'aggregate'"
                    } else if case .identifier(let word) = current.kind,
                              let stage = Suggest.closest(to: word, in: Parser.stageWords) {
                        failure.diagnostic?.help = "did you mean '\(stage)'?"
                    }
                    throw failure
                }
                stages.append(try parseStage())
            } else if atStage {
                stages.append(try parseStage())
            } else if nextLineStartsStage {
                // A line that begins with a stage keyword continues the pipeline above it (Layout).
                skipNewlines()
                stages.append(try parseStage())
            } else {
                break
            }
        }
        guard let last = stages.last else { return source }
        return Expr(.pipeline(source, stages), source.span.merged(with: last.span))
    }

    /// `expr = or-expression`: an expression without stages (a stage keyword or `|` ends it).
    mutating func parseExpression() throws -> Expr {
        try parseBinary(.or)
    }

    /// Precedence climbing: parses an expression whose operators all bind at least as tightly as `min`.
    /// Chains of operators are parsed in a loop, but each operator applied deepens the tree by one, so
    /// each counts as a level of nesting: no tree deeper than `maxDepth` reaches the tools after the parser.
    mutating func parseBinary(_ min: Precedence) throws -> Expr {
        var left = try parsePrefixed(min)
        var held = 0
        defer { depth -= held }
        while let form = infixForm(), form.precedence >= min {
            try enterNesting(at: current)
            held += 1
            left = try parseInfix(left, form, held: &held)
        }
        return left
    }

    /// The operator at the cursor applied to `left`. `held` counts the nesting levels taken.
    mutating func parseInfix(_ left: Expr, _ form: InfixForm, held: inout Int) throws -> Expr {
        let level = form.precedence
        switch form {
        case .binary(let op) where op.associativity == .left:
            advance()
            skipNewlines()
            let right = try parseBinary(level.tighter)
            return Expr(.binary(op, left, right), left.span.merged(with: right.span))
        case .binary(let op) where op.associativity == .right:
            // Right-associative chains (`a ?? b ?? c`) are collected in a loop, then folded from the right.
            var operands = [left]
            var ops = [op]
            advance()
            skipNewlines()
            operands.append(try parseBinary(level.tighter))
            while case .binary(let next)? = infixForm(), next.precedence == level {
                try enterNesting(at: current)
                held += 1
                ops.append(next)
                advance()
                skipNewlines()
                operands.append(try parseBinary(level.tighter))
            }
            var folded = operands[operands.count - 1]
            for i in stride(from: ops.count - 1, through: 0, by: -1) {
                folded = Expr(.binary(ops[i], operands[i], folded), operands[i].span.merged(with: folded.span))
            }
            return folded
        default:
            let comparison = try parseComparison(left, form)
            if let next = infixForm(), next.precedence == .comparison {
                throw failure("comparisons cannot be chained", at: current.span,
                              help: "combine them with 'and', as in 'a < b and b < c', or use 'between'")
            }
            return comparison
        }
    }

    /// The infix operator at the cursor, if any (`not` counts only before `in` or `between`).
    func infixForm() -> InfixForm? {
        let t = current
        if let row = OperatorTable.byToken[t.kind] { return .binary(row.op) }
        switch t.kind {
        case .keyword(.between): return .between(negated: false)
        case .keyword(.in): return .isIn(negated: false)
        case .keyword(.is): return .isNone
        case .identifier where startsHistory: return .history
        case .keyword(.not):
            if peek(1).isKeyword(.between) { return .between(negated: true) }
            if peek(1).isKeyword(.in) { return .isIn(negated: true) }
            return nil
        default: return nil
        }
    }

    /// One comparison (non-associative): `a = b`, `a contains b`, `a starts with b`, `a between x and y`,
    /// `a not in list`, `a is not none`. Operands bind at the `??` level, so `and` is never swallowed.
    mutating func parseComparison(_ left: Expr, _ form: InfixForm) throws -> Expr {
        let opToken = advance()
        switch form {
        case .binary(let op):
            if op == .startsWith || op == .endsWith {
                try expect(.with, "after \(opToken.displayName)")
            }
            skipNewlines()
            let right = try parseBinary(.coalesce)
            return Expr(.binary(op, left, right), left.span.merged(with: right.span))
        case .between(let negated):
            if negated { advance() }
            let low = try parseBinary(.coalesce)
            guard continues({ $0.isKeyword(.and) }) else {
                throw expected("'and' to finish '\(negated ? "not " : "")between \(file.text(low.span)) and ...'")
            }
            advance()
            skipNewlines()
            let high = try parseBinary(.coalesce)
            return Expr(.between(left, low, high, negated: negated), left.span.merged(with: high.span))
        case .isIn(let negated):
            if negated { advance() }
            skipNewlines()
            if current.isSymbol(.lparen), parenthesisedList {
                throw failure("a list is written in square brackets, not parentheses", at: current.span,
                              help: "write 'in [a, b]', as in: status in [red, amber]")
            }
            let list = try parseBinary(.coalesce)
            return Expr(.isIn(left, list, negated: negated), left.span.merged(with: list.span))
        case .isNone:
            let negated = accept(.not) != nil
            guard at(.none) else {
                throw expected("'none' after '\(negated ? "is not" : "is")'").with(help: "'is' only tests for none; compare values with '=' or '!='")
            }
            advance()
            return Expr(.isNone(left, negated: negated), span(from: left.span.start))
        case .history:
            return try parseHistory(left, opToken)
        }
    }

    /// Prefix operators: `not` (when `min` allows it; its operand is a comparison) and unary `-`.
    mutating func parsePrefixed(_ min: Precedence) throws -> Expr {
        skipNewlines()
        if at(.minus) || (min <= .not && at(.not)) { return try parsePrefixRun() }
        return try parsePostfix()
    }

    /// A run of `not`s or of `-`s, collected in a loop (each one a level of nesting), never by recursion.
    mutating func parsePrefixRun() throws -> Expr {
        let op: UnaryOp = at(.not) ? .not : .negate
        var tokens: [Token] = []
        defer { depth -= tokens.count }
        while op == .not ? at(.not) : at(.minus) {
            try enterNesting(at: current)
            tokens.append(advance())
        }
        var e = op == .not ? try parseBinary(.comparison) : try parsePostfix()
        for t in tokens.reversed() { e = Expr(.unary(op, e), t.span.merged(with: e.span)) }
        return e
    }

    /// `postfix = primary { "." member [ "(" args ")" ] }`
    mutating func parsePostfix() throws -> Expr {
        let e = try parsePrimary()
        return at(.dot) ? try parseMembers(of: e) : e
    }

    /// The `.name` and `.name(args)` after a primary; each `.` is a level of nesting.
    mutating func parseMembers(of base: Expr) throws -> Expr {
        var e = base
        var held = 0
        defer { depth -= held }
        while at(.dot) {
            try enterNesting(at: current)
            held += 1
            advance()
            let name = try expectMemberName("after '.'")
            if let open = accept(.lparen) {
                let args = try parseArguments(open)
                e = Expr(.methodCall(e, name, args), span(from: e.span.start))
            } else {
                e = Expr(.member(e, name), e.span.merged(with: name.span))
            }
        }
        return e
    }

    /// `args = [ pipeline { "," pipeline } ] ")"` after the opening `(` (already consumed).
    mutating func parseArguments(_ open: Token) throws -> [Expr] {
        try enterBracket(open)
        defer { leaveBracket() }
        var args: [Expr] = []
        if !at(.rparen) {
            repeat {
                args.append(try parsePipeline())
            } while accept(.comma) != nil
        }
        try expectClosing(.rparen, for: open)
        return args
    }

    /// Literals, `true false none today this`, names, calls `NAME(args)`, entity lookups `NAME STRING`,
    /// `( pipeline )`, lists, records and `if ... then ... else ...`. Line breaks before an operand are
    /// skipped, so a line may end after an operator, a `,` or a stage keyword.
    mutating func parsePrimary() throws -> Expr {
        skipNewlines()
        if let e = parseLiteral() { return e }
        switch current.kind {
        case .string: return try parseStringToken()
        case .identifier: return try parseNameForm()
        case .symbol(.lparen): return try parseParenthesized()
        case .symbol(.lbracket): return try parseList()
        case .symbol(.lbrace): return try parseRecord()
        case .keyword(.if): return try parseIf()
        // `by` is a keyword only after order, group, waive and changed: as a value it is a name (the
        // journal's `by` column: journal | select entity, by, reason).
        case .keyword(.by):
            let t = advance()
            return Expr(.name("by"), t.span)
        default: throw missingExpression()
        }
    }

    /// A literal or `true false none today this` at the cursor, consumed; `nil` for anything else.
    mutating func parseLiteral() -> Expr? {
        let t = current
        let kind: ExprKind
        switch t.kind {
        case .integer(let v): kind = .literal(.integer(v))
        case .decimal(let v, let exact): kind = .literal(.decimal(v, exact: exact))
        case .money(let v, let currency): kind = .literal(.money(v, currency: currency))
        case .percent(let v): kind = .literal(.percent(v))
        case .hours(let v): kind = .literal(.hours(v))
        case .date(let d): kind = .literal(.date(d))
        case .period(let p): kind = .literal(.period(p))
        case .duration(let n, let unit): kind = .literal(.duration(n, unit))
        case .rawString(let s): kind = .literal(.string(s))
        case .keyword(.true): kind = .literal(.bool(true))
        case .keyword(.false): kind = .literal(.bool(false))
        case .keyword(.none): kind = .none
        case .keyword(.today): kind = .today
        case .keyword(.this): kind = .this
        default: return nil
        }
        advance()
        return Expr(kind, t.span)
    }

    /// `expected an expression after 'X' but found Y`.
    func missingExpression() -> ParseFailure {
        if let p = previous, p.kind != .newline, p.span.end <= current.span.start {
            return expected("an expression after \(p.displayName)")
        }
        return expected("an expression")
    }

    /// `NAME`, `NAME(args)` or `NAME STRING` (one entity by id or name).
    mutating func parseNameForm() throws -> Expr {
        let t = advance()
        guard case .identifier(let text) = t.kind else { throw missingExpression() }
        let name = Name(text, t.span)
        // `all projects`: the whole entity set (a contextual word: `all` alone is a plain name).
        if text == "all", case .identifier(let set) = current.kind {
            let s = advance()
            return Expr(.all(Name(set, s.span)), t.span.merged(with: s.span))
        }
        if let open = accept(.lparen) {
            let args = try parseArguments(open)
            return Expr(.call(name, args), span(from: t.span.start))
        }
        switch current.kind {
        case .string, .rawString:
            let key = try parsePrimary()
            return Expr(.entity(name, key), t.span.merged(with: key.span))
        default:
            return Expr(.name(text), t.span)
        }
    }

    /// `"(" pipeline ")"`: the inner node, with its span widened to cover the parentheses.
    mutating func parseParenthesized() throws -> Expr {
        let open = advance()
        try enterBracket(open)
        defer { leaveBracket() }
        let inner = try parsePipeline()
        let close = try expectClosing(.rparen, for: open)
        return Expr(inner.kind, open.span.merged(with: close.span))
    }

    /// `"[" [ pipeline { "," pipeline } [","] ] "]"`
    mutating func parseList() throws -> Expr {
        let open = advance()
        try enterBracket(open)
        defer { leaveBracket() }
        var items: [Expr] = []
        while !at(.rbracket) {
            items.append(try parsePipeline())
            if accept(.comma) == nil { break }
        }
        let close = try expectClosing(.rbracket, for: open)
        return Expr(.list(items), open.span.merged(with: close.span))
    }

    /// `"{" [ NAME ":" pipeline { "," NAME ":" pipeline } [","] ] "}"`; line breaks inside are ignored.
    mutating func parseRecord() throws -> Expr {
        let open = advance()
        try enterBracket(open)
        defer { leaveBracket() }
        var fields: [RecordField] = []
        skipNewlines()
        while !at(.rbrace) {
            let name = try expectMemberName("for a field of the record")
            skipNewlines()
            try expect(.colon, "after the field name '\(name.text)'")
            let value = try parsePipeline()
            fields.append(RecordField(name: name, value: value))
            skipNewlines()
            if accept(.comma) == nil { break }
            skipNewlines()
        }
        let close = try expectClosing(.rbrace, for: open)
        return Expr(.record(fields), open.span.merged(with: close.span))
    }

    /// `"if" expr "then" expr "else" expr`. The branches are expressions, so a pipeline in a branch
    /// needs parentheses and a `|` after the `else` branch belongs to the enclosing pipeline.
    /// Line breaks may come before `then` and `else`.
    mutating func parseIf() throws -> Expr {
        let ifToken = advance()
        try enterNesting(at: ifToken)
        defer { depth -= 1 }
        let condition = try parseExpression()
        guard continues({ $0.isKeyword(.then) }) else { throw expected("'then' after the condition of 'if'") }
        advance()
        let whenTrue = try parseExpression()
        guard continues({ $0.isKeyword(.else) }) else {
            throw expected("'else' after 'if ... then ...'").with(help: "every 'if' needs an 'else'; write 'else none' to give none")
        }
        advance()
        let whenFalse = try parseExpression()
        return Expr(.ifThen(condition, whenTrue, whenFalse), ifToken.span.merged(with: whenFalse.span))
    }
}

extension ParseFailure {
    /// The same failure with a help line added to its diagnostic.
    func with(help: String) -> ParseFailure {
        var f = self
        f.diagnostic?.help = help
        return f
    }
}

extension Parser {
    /// The words that start a stage, for did-you-mean.
    static let stageWords = ["where", "sort", "order", "take", "limit", "select", "extend", "group", "aggregate",
                             "distinct", "expand", "count"]

    /// Whether the `(` at the current token holds a comma at its own level (`(red, amber)`, SQL's list).
    var parenthesisedList: Bool {
        var depth = 0
        var i = pos
        while i < tokens.count {
            switch tokens[i].kind {
            case .symbol(.lparen), .symbol(.lbracket), .symbol(.lbrace): depth += 1
            case .symbol(.rparen), .symbol(.rbracket), .symbol(.rbrace):
                depth -= 1
                if depth == 0 { return false }
            case .symbol(.comma): if depth == 1 { return true }
            case .newline, .endOfInput: return false
            default: break
            }
            i += 1
        }
        return false
    }
}
