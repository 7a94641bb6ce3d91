// Expressions: precedence climbing over the operator table, prefix and postfix forms, and primaries.

extension Parser {
    /// `pipeline = expr { ["|"] stage }`. A `|` at the end of a line or at the start of the next one
    /// continues the pipeline; a stage keyword right after the expression starts a stage without `|`.
    mutating func parsePipeline() throws(ParseFailure) -> Expr {
        let source = try parseExpression()
        var stages: [Stage] = []
        while true {
            if continues({ $0.isSymbol(.pipe) }) {
                advance()
                skipNewlines()
                guard atStage else {
                    throw expected("a pipeline stage such as 'where', 'sort' or 'select' after '|'")
                }
                stages.append(try parseStage())
            } else if atStage {
                stages.append(try parseStage())
            } else {
                break
            }
        }
        guard let last = stages.last else { return source }
        return Expr(.pipeline(source, stages), source.span.merged(with: last.span))
    }

    /// `expr = or-expression`: an expression without stages (a stage keyword or `|` ends it).
    mutating func parseExpression() throws(ParseFailure) -> Expr {
        try parseBinary(.or)
    }

    /// Precedence climbing: parses an expression whose operators all bind at least as tightly as `min`.
    /// Chains of operators are parsed in a loop, but each operator applied deepens the tree by one, so
    /// each counts as a level of nesting: no tree deeper than `maxDepth` reaches the tools after the parser.
    mutating func parseBinary(_ min: Precedence) throws(ParseFailure) -> Expr {
        var left = try parsePrefixed(min)
        var held = 0
        defer { depth -= held }
        while let form = infixForm(), form.precedence >= min {
            let level = form.precedence
            try enterNesting(at: current)
            held += 1
            switch form {
            case .binary(let op) where op.associativity == .left:
                advance()
                skipNewlines()
                let right = try parseBinary(level.tighter)
                left = Expr(.binary(op, left, right), left.span.merged(with: right.span))
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
                left = folded
            default:
                left = try parseComparison(left, form)
                if let next = infixForm(), next.precedence == .comparison {
                    throw failure("comparisons cannot be chained", at: current.span,
                                  help: "combine them with 'and', as in 'a < b and b < c', or use 'between'")
                }
            }
        }
        return left
    }

    /// The infix operator at the cursor, if any (`not` counts only before `in` or `between`).
    func infixForm() -> InfixForm? {
        let t = current
        if let row = OperatorTable.byToken[t.kind] { return .binary(row.op) }
        switch t.kind {
        case .keyword(.between): return .between(negated: false)
        case .keyword(.in): return .isIn(negated: false)
        case .keyword(.is): return .isNone
        case .keyword(.not):
            if peek(1).isKeyword(.between) { return .between(negated: true) }
            if peek(1).isKeyword(.in) { return .isIn(negated: true) }
            return nil
        default: return nil
        }
    }

    /// One comparison (non-associative): `a = b`, `a contains b`, `a starts with b`, `a between x and y`,
    /// `a not in list`, `a is not none`. Operands bind at the `??` level, so `and` is never swallowed.
    mutating func parseComparison(_ left: Expr, _ form: InfixForm) throws(ParseFailure) -> Expr {
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
            let list = try parseBinary(.coalesce)
            return Expr(.isIn(left, list, negated: negated), left.span.merged(with: list.span))
        case .isNone:
            let negated = accept(.not) != nil
            guard at(.none) else {
                throw expected("'none' after '\(negated ? "is not" : "is")'").with(help: "'is' only tests for none; compare values with '=' or '!='")
            }
            advance()
            return Expr(.isNone(left, negated: negated), span(from: left.span.start))
        }
    }

    /// Prefix operators: `not` (when `min` allows it; its operand is a comparison) and unary `-`.
    /// Runs of them are collected in a loop (each one a level of nesting), never by recursion.
    mutating func parsePrefixed(_ min: Precedence) throws(ParseFailure) -> Expr {
        skipNewlines()
        let op: UnaryOp
        if min <= .not && at(.not) {
            op = .not
        } else if at(.minus) {
            op = .negate
        } else {
            return try parsePostfix()
        }
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

    /// `postfix = primary { "." NAME [ "(" args ")" ] }`; each `.` is a level of nesting.
    mutating func parsePostfix() throws(ParseFailure) -> Expr {
        var e = try parsePrimary()
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
    mutating func parseArguments(_ open: Token) throws(ParseFailure) -> [Expr] {
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
    mutating func parsePrimary() throws(ParseFailure) -> Expr {
        skipNewlines()
        let t = current
        switch t.kind {
        case .integer(let v): advance(); return Expr(.literal(.integer(v)), t.span)
        case .decimal(let v, let exact): advance(); return Expr(.literal(.decimal(v, exact: exact)), t.span)
        case .money(let v, let currency): advance(); return Expr(.literal(.money(v, currency: currency)), t.span)
        case .percent(let v): advance(); return Expr(.literal(.percent(v)), t.span)
        case .date(let d): advance(); return Expr(.literal(.date(d)), t.span)
        case .period(let p): advance(); return Expr(.literal(.period(p)), t.span)
        case .duration(let n, let unit): advance(); return Expr(.literal(.duration(n, unit)), t.span)
        case .string(let segments): advance(); return try parseString(segments, t.span)
        case .rawString(let s): advance(); return Expr(.literal(.string(s)), t.span)
        case .keyword(.true): advance(); return Expr(.literal(.bool(true)), t.span)
        case .keyword(.false): advance(); return Expr(.literal(.bool(false)), t.span)
        case .keyword(.none): advance(); return Expr(.none, t.span)
        case .keyword(.today): advance(); return Expr(.today, t.span)
        case .keyword(.this): advance(); return Expr(.this, t.span)
        case .identifier(let text):
            advance()
            let name = Name(text, t.span)
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
        case .symbol(.lparen):
            advance()
            try enterBracket(t)
            defer { leaveBracket() }
            let inner = try parsePipeline()
            let close = try expectClosing(.rparen, for: t)
            return Expr(inner.kind, t.span.merged(with: close.span))
        case .symbol(.lbracket): return try parseList()
        case .symbol(.lbrace): return try parseRecord()
        case .keyword(.if): return try parseIf()
        default:
            if let p = previous, p.kind != .newline, p.span.end <= t.span.start {
                throw expected("an expression after \(p.displayName)")
            }
            throw expected("an expression")
        }
    }

    /// `"[" [ pipeline { "," pipeline } [","] ] "]"`
    mutating func parseList() throws(ParseFailure) -> Expr {
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
    mutating func parseRecord() throws(ParseFailure) -> Expr {
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
    mutating func parseIf() throws(ParseFailure) -> Expr {
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

    // MARK: - Strings

    /// A double-quoted string: plain text becomes a string literal; `{expr}` parts are parsed by
    /// lexing their byte range and become an `.interpolated` expression.
    mutating func parseString(_ segments: [StringSegment], _ span: Span) throws(ParseFailure) -> Expr {
        var parts: [InterpolationPart] = []
        var hasExpr = false
        for segment in segments {
            switch segment {
            case .text(let s):
                if s.isEmpty { continue }
                if case .text(let before)? = parts.last {
                    parts[parts.count - 1] = .text(before + s)
                } else {
                    parts.append(.text(s))
                }
            case .interpolation(let inner):
                parts.append(.expr(try parseInterpolation(inner, in: span)))
                hasExpr = true
            }
        }
        guard hasExpr else {
            var text = ""
            for case .text(let s) in parts { text += s }
            return Expr(.literal(.string(text)), span)
        }
        return Expr(.interpolated(parts), span)
    }

    /// Parses the pipeline inside `{...}` (the bytes of `inner`) with a parser of its own.
    mutating func parseInterpolation(_ inner: Span, in string: Span) throws(ParseFailure) -> Expr {
        let brace = Token(.symbol(.lbrace), Span(file: file.id, start: max(string.start, inner.start - 1), end: inner.start))
        try enterNesting(at: brace)
        defer { depth -= 1 }
        var lexer = Lexer(file: file, start: Int(inner.start), end: Int(inner.end))
        var sub = Parser(file: file, tokens: lexer.tokenize(), maxDepth: maxDepth, depth: depth, inInterpolation: true)
        sub.reportLexicalErrors()
        defer { diagnostics.append(contentsOf: sub.diagnostics) }
        sub.skipNewlines()
        let e = try sub.parsePipeline()
        sub.skipNewlines()
        guard sub.current.kind == .endOfInput else { throw sub.expected("'}' to end the interpolation") }
        return e
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
