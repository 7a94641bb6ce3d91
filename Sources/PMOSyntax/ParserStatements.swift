// Statements: let, def, print, export, use, as of, assert, and bare pipelines.

extension Parser {
    /// Statement keywords beyond the basic ones: governance (`rule waive check test why`, parsed in
    /// ParserRules.swift), `schedule` and `report`. Error recovery treats them as the start of a statement.
    static let laterStatements: Set<Keyword> = [.rule, .waive, .check, .test, .report, .why]

    /// ```
    /// statement = "let" NAME "=" pipeline
    ///           | "def" NAME "(" [ NAME { "," NAME } ] ")" "=" pipeline
    ///           | "def" NAME "." NAME "=" pipeline
    ///           | "print" pipeline
    ///           | "export" pipeline "to" expr
    ///           | "use" STRING
    ///           | "as" "of" expr
    ///           | "assert" expr [ "," expr ]
    ///           | "explain" NAME [ "(" args ")" ] "of" expr
    ///           | rule | waive | check | test | why              (ParserRules.swift)
    ///           | "schedule" STRING | report | chart                (ParserSchedule.swift, ParserReport.swift)
    ///           | pipeline
    /// ```
    mutating func parseStatement() throws -> Stmt {
        let t = current
        switch t.kind {
        case .keyword(.let): return try parseLet()
        case .keyword(.def): return try parseDef()
        case .keyword(.print):
            advance()
            let value = try parsePipeline()
            return Stmt(.print(value), span(from: t.span.start))
        case .keyword(.export): return try parseExport()
        case .keyword(.use): return try parseUse()
        case .keyword(.as):
            advance()
            try expect(.of, "after 'as'")
            let date = try parseExpression()
            return Stmt(.asOf(date), span(from: t.span.start))
        case .keyword(.assert):
            advance()
            let condition = try parseExpression()
            var message: Expr?
            if accept(.comma) != nil {
                skipNewlines()
                message = try parseExpression()
            }
            return Stmt(.assert(condition, message: message), span(from: t.span.start))
        case .keyword(.explain): return try parseExplain()
        case .identifier where startsSchedule: return try parseSchedule()
        case .identifier where startsChange: return try parseChange()
        case .identifier where startsChangesSince: return try parseChangesSince()
        case .keyword(.report): return try parseReport()
        case .identifier where startsChart: return try parseChart()
        case .keyword(let k) where Parser.governanceKeywords.contains(k):
            return try parseGovernance(k)
        case .keyword(let k) where Parser.laterStatements.contains(k):
            var failure = failure("the '\(k.rawValue)' statement is not available in this version", at: t.span)
            failure.skipIndentedLines = true
            throw failure
        case .keyword(let k) where atStage:
            throw failure("expected a statement but found '\(k.rawValue)'", at: t.span,
                          help: "a pipeline stage goes after a value, as in projects \(k.rawValue) ...; a line that starts with one continues the pipeline on the line above")
        default:
            if let misplaced = misplacedTestWord() { throw misplaced }
            let value = try parsePipeline()
            return Stmt(.expr(value), value.span)
        }
    }

    /// `"let" NAME "=" pipeline`
    mutating func parseLet() throws -> Stmt {
        let start = advance().span.start
        let name = try expectName("after 'let'")
        try expect(.eq, "after 'let \(name.text)'")
        let value = try parsePipeline()
        return Stmt(.let(name, value), span(from: start))
    }

    /// `"def" NAME "(" params ")" "=" pipeline` or `"def" ENTITY "." FIELD "=" pipeline`
    mutating func parseDef() throws -> Stmt {
        let start = advance().span.start
        let name = try expectName("after 'def'")
        if accept(.dot) != nil {
            let field = try expectMemberName("for the computed field after '\(name.text).'")
            try expect(.eq, "after 'def \(name.text).\(field.text)'")
            let body = try parsePipeline()
            return Stmt(.computedField(entity: name, field: field, body), span(from: start))
        }
        guard let open = accept(.lparen) else {
            throw expected("'(' and parameters, or '.' and a field name, after 'def \(name.text)'")
        }
        try enterBracket(open)
        defer { leaveBracket() }
        var params: [Name] = []
        if !at(.rparen) {
            repeat {
                params.append(try expectName("for a parameter of '\(name.text)'"))
            } while accept(.comma) != nil
        }
        try expectClosing(.rparen, for: open)
        try expect(.eq, "after the parameters of '\(name.text)'")
        let body = try parsePipeline()
        return Stmt(.function(name, params, body), span(from: start))
    }

    /// `"export" pipeline "to" expr`, where `to` is a contextual word that ends the pipeline.
    mutating func parseExport() throws -> Stmt {
        let start = advance().span.start
        let value = try parsePipeline()
        guard current.isWord("to") else { throw expected("'to' and a file name after the exported value") }
        advance()
        let target = try parseExpression()
        return Stmt(.export(value, to: target), span(from: start))
    }

    /// `"use" STRING` with a plain string (no `{...}` interpolation).
    mutating func parseUse() throws -> Stmt {
        let start = advance().span.start
        let t = current
        switch t.kind {
        case .rawString(let path):
            advance()
            return Stmt(.use(path, t.span), span(from: start))
        case .string(let segments):
            var path = ""
            for segment in segments {
                guard case .text(let s) = segment else {
                    throw failure("the file name after 'use' cannot contain '{...}'", at: t.span,
                                  help: "write the path as a plain string, such as \"rules/common.pmo\"")
                }
                path += s
            }
            advance()
            return Stmt(.use(path, t.span), span(from: start))
        default:
            throw expected("a file name string after 'use'")
        }
    }

    /// `"explain" NAME [ "(" args ")" ] "of" expr`: a computed field's formula and inputs for one entity,
    /// as in `explain cpi of project "PRJ-0001"` or `explain utilization(2026-12) of resource "RES-007"`.
    mutating func parseExplain() throws -> Stmt {
        let start = advance().span.start
        let field = try expectName("after 'explain'")
        var args: [Expr] = []
        if let open = accept(.lparen) { args = try parseArguments(open) }
        try expect(.of, "after 'explain \(field.text)'")
        let entity = try parseExpression()
        return Stmt(.explain(field, args, of: entity), span(from: start))
    }
}
