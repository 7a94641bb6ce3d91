// Strings: plain string literals and `{expr}` interpolations, parsed by lexing their byte ranges again.

extension Parser {
    /// The double-quoted string at the cursor.
    mutating func parseStringToken() throws -> Expr {
        let t = advance()
        guard case .string(let segments) = t.kind else { throw missingExpression() }
        return try parseString(segments, t.span)
    }

    /// A double-quoted string: plain text becomes a string literal; `{expr}` parts are parsed by
    /// lexing their byte range and become an `.interpolated` expression.
    mutating func parseString(_ segments: [StringSegment], _ span: Span) throws -> Expr {
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
    mutating func parseInterpolation(_ inner: Span, in string: Span) throws -> Expr {
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
