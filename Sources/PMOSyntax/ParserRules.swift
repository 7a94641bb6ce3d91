// Governance statements: rule (with its clauses), waive, check, test (with given and expect), why.
//
// Clause words (`severity`, `for`, `require`, `message`, `owner`, `remedy`) and the words of waivers,
// tests and `why` (`until`, `because`, `given`, `expect`, `on`) are contextual identifiers: they mean
// something only in these positions, so `risks where owner is none` and `issues where severity = high`
// keep working everywhere else.

extension Parser {
    /// The clauses a rule may have, in canonical order.
    static let ruleClauses = ["severity", "for", "require", "message", "owner", "remedy"]

    /// The keywords that start governance statements.
    static let governanceKeywords: Set<Keyword> = [.rule, .waive, .check, .test, .why]

    /// The governance statement introduced by keyword `k` (one of `governanceKeywords`).
    mutating func parseGovernance(_ k: Keyword) throws -> Stmt {
        switch k {
        case .rule: return try parseRule()
        case .waive: return try parseWaive()
        case .check: return try parseCheck()
        case .test: return try parseTest()
        case .why: return try parseWhy()
        default: throw failure("the '\(k.rawValue)' statement is not available in this version", at: current.span)
        }
    }

    /// `given` and `expect` followed by a word on the same line outside a test block: an error that
    /// says where they belong (elsewhere they are ordinary names).
    func misplacedTestWord() -> ParseFailure? {
        let t = current
        guard t.isWord("given") || t.isWord("expect"), case .identifier = peek(1).kind else { return nil }
        guard case .identifier(let word) = t.kind else { return nil }
        return failure("'\(word)' is only meaningful inside a test block", at: t.span,
                       help: "write it inside a test: test \"...\" { \(word.lowercased()) ... }")
    }

    // MARK: - rule

    /// ```
    /// rule    = "rule" NAME [ STRING ] { clause } ;          (* clauses on the same or following lines *)
    /// clause  = "severity" ( "info" | "low" | "medium" | "high" | "critical" )
    ///         | "for" pipeline | "require" expr
    ///         | "message" expr | "owner" expr | "remedy" expr ;
    /// ```
    /// `for` and `require` are required; each clause appears at most once. After an error the rest of
    /// the rule (its clause lines, indented or not) is skipped, so one mistake reports one error.
    mutating func parseRule() throws -> Stmt {
        let startIndex = pos
        let start = advance().span.start
        let column = file.location(of: Int(start)).column
        do {
            return try parseRuleBody(start, column: column)
        } catch {
            var failure = ParseFailure(error)
            failure.skipIndentedLines = true
            skipClauseLines(from: startIndex, column: column)
            throw failure
        }
    }

    /// The rule after its keyword; `column` is the keyword's column (a line indented further belongs to the rule).
    mutating func parseRuleBody(_ start: Int32, column: Int) throws -> Stmt {
        let id = try expectName("after 'rule' (the rule's id, such as sponsor_required)")
        var title: String?
        switch current.kind {
        case .string, .rawString: title = try expectPlainString("for the title of rule '\(id.text)'", what: "a rule's title").text
        default: break
        }
        var severity: RuleSeverity?
        var subject: Expr?, condition: Expr?, message: Expr?, owner: Expr?, remedy: Expr?
        var seen: [String: Span] = [:]
        while let word = try nextClauseWord(rule: id, column: column) {
            skipNewlines()
            let clause = advance()
            if let first = seen[word] {
                var f = failure("rule '\(id.text)' has two '\(word)' clauses", at: clause.span, help: "keep one of them")
                f.diagnostic?.notes.append(Diagnostic.Note("the first '\(word)' is here", span: first))
                throw f
            }
            seen[word] = clause.span
            switch word {
            case "severity": severity = try parseSeverity()
            case "for": subject = try parseClauseValue(pipeline: true, word)
            case "require": condition = try parseClauseValue(pipeline: false, word)
            case "message": message = try parseClauseValue(pipeline: false, word)
            case "owner": owner = try parseClauseValue(pipeline: false, word)
            default: remedy = try parseClauseValue(pipeline: false, word)
            }
        }
        switch current.kind {
        case .newline, .symbol(.semicolon), .endOfInput: break
        default: throw expected("a rule clause (severity, for, require, message, owner or remedy)")
        }
        // At the end of the input (a rule typed line by line at the prompt) more lines may follow.
        if current.kind == .endOfInput && (subject == nil || condition == nil) {
            throw expected("'\(subject == nil ? "for" : "require")' and the rest of rule '\(id.text)'")
        }
        guard let subject else {
            throw failure("rule '\(id.text)' has no 'for' clause", at: id.span,
                          help: "say which entities it checks, on a line such as: for projects where phase = execution")
        }
        guard let condition else {
            throw failure("rule '\(id.text)' has no 'require' clause", at: id.span,
                          help: "give the condition every entity must meet, on a line such as: require sponsor is not none")
        }
        let decl = RuleDecl(id: id, title: title, severity: severity, subject: subject, condition: condition,
                            message: message, owner: owner, remedy: remedy)
        return Stmt(.rule(decl), span(from: start))
    }

    /// The clause word that comes next (on this line, or starting one of the following lines), or nil
    /// when the rule ends. A line indented further than the rule that does not start with a clause word
    /// is a misspelt clause, and an error.
    mutating func nextClauseWord(rule id: Name, column: Int) throws -> String? {
        let t = nextAfterNewlines
        guard case .identifier(let word) = t.kind else { return nil }
        let lower = word.lowercased()
        if Parser.ruleClauses.contains(lower) { return lower }
        let onLaterLine = current.kind == .newline
        guard onLaterLine && file.location(of: Int(t.span.start)).column > column else { return nil }
        let hint = Suggest.closest(to: word, in: Parser.ruleClauses).map { "did you mean '\($0)'?" }
            ?? "a rule's clauses are severity, for, require, message, owner and remedy"
        skipNewlines()
        throw failure("expected a clause of rule '\(id.text)' (severity, for, require, message, owner or remedy) but found '\(word)'",
                      at: t.span, help: hint)
    }

    /// The value of a clause: a pipeline for `for`, an expression otherwise.
    mutating func parseClauseValue(pipeline: Bool, _ word: String) throws -> Expr {
        switch current.kind {
        case .newline, .endOfInput, .symbol(.semicolon):
            let what = pipeline ? "a set of entities, such as projects where phase = execution," : (word == "require" ? "a condition" : "a value")
            throw expected("\(what) after '\(word)'")
        default:
            return pipeline ? try parsePipeline() : try parseExpression()
        }
    }

    /// `info`, `low`, `medium`, `high` or `critical` after `severity`.
    mutating func parseSeverity() throws -> RuleSeverity {
        let t = current
        let all = RuleSeverity.allCases.map(\.rawValue)
        let list = "severities are info, low, medium, high and critical"
        guard case .identifier(let word) = t.kind else {
            throw expected("a severity (info, low, medium, high or critical) after 'severity'")
        }
        guard let s = RuleSeverity(rawValue: word.lowercased()) else {
            let hint = Suggest.closest(to: word, in: all).map { "did you mean '\($0)'? \(list)" } ?? list
            throw failure("unknown severity '\(word)'", at: t.span, help: hint)
        }
        advance()
        return s
    }

    /// After an error in a rule: skips the rest of its line and every following line that starts with a
    /// clause word or is indented further than the rule, so the rule's other clauses are not reported as statements. Inside a
    /// bracket that is never closed the statement recovery of the script takes over.
    mutating func skipClauseLines(from start: Int, column: Int) {
        var open = 0
        for i in start..<min(pos, tokens.count) { open = Parser.nesting(open, tokens[i]) }
        guard open == 0 else { return }
        while true {
            while current.kind != .endOfInput && !(open == 0 && current.kind == .newline) {
                if open > 0 && startsStatementLine(current) { return }
                open = Parser.nesting(open, advance())
            }
            guard current.kind == .newline else { return }
            let t = nextAfterNewlines
            var clause = false
            if case .identifier(let w) = t.kind { clause = Parser.ruleClauses.contains(w.lowercased()) }
            guard t.kind != .endOfInput, clause || file.location(of: Int(t.span.start)).column > column else { return }
            skipNewlines()
        }
    }

    // MARK: - waive, check, why

    /// `"waive" NAME "for" NAME STRING "until" expr "by" expr "because" expr`; `until`, `by` and
    /// `because` may start continuation lines.
    mutating func parseWaive() throws -> Stmt {
        let start = advance().span.start
        let rule = try expectName("after 'waive' (the id of the rule to waive)")
        guard current.isWord("for") else {
            throw expected("'for' and the entity after 'waive \(rule.text)', as in for project \"PRJ-0042\",")
        }
        advance()
        let entity = try expectName("after 'for' (the kind of entity, as in project \"PRJ-0042\")")
        let key = try expectPlainString("after '\(entity.text)' (the id or name of the \(entity.text))", what: "an entity id")
        guard continues({ $0.isWord("until") }) else {
            throw expected("'until' and the date the waiver expires, as in until 2026-12-31,")
        }
        advance()
        let until = try parseExpression()
        guard continues({ $0.isKeyword(.by) }) else { throw expected("'by' and who approved the waiver, as in by \"CFO\",") }
        advance()
        let approver = try parseExpression()
        guard continues({ $0.isWord("because") }) else {
            throw expected("'because' and the reason for the waiver, as in because \"sponsor being hired\",")
        }
        advance()
        let reason = try parseExpression()
        let decl = WaiverDecl(rule: rule, entity: entity, key: key.text, keySpan: key.span, until: until, approver: approver, reason: reason)
        return Stmt(.waive(decl), span(from: start))
    }

    /// `"check" [ NAME { "," NAME } ]`
    mutating func parseCheck() throws -> Stmt {
        let start = advance().span.start
        var names: [Name] = []
        if case .identifier = current.kind {
            names.append(try expectName("after 'check'"))
            while accept(.comma) != nil {
                skipNewlines()
                names.append(try expectName("after ',' (the id of a rule)"))
            }
        }
        return Stmt(.check(names), span(from: start))
    }

    /// `"why" NAME "on" STRING`
    mutating func parseWhy() throws -> Stmt {
        let start = advance().span.start
        let rule = try expectName("after 'why' (the id of a rule, as in why sponsor_required on \"PRJ-0042\")")
        guard current.isWord("on") else {
            throw expected("'on' and an entity id after 'why \(rule.text)', as in why \(rule.text) on \"PRJ-0042\",")
        }
        advance()
        let key = try expectPlainString("after 'on' (the id or name of the entity)", what: "an entity id")
        return Stmt(.why(rule, on: key.text, key.span), span(from: start))
    }

    // MARK: - test

    /// ```
    /// test      = "test" STRING "{" { testItem separator } "}" ;
    /// testItem  = "given" NAME expr                              (* fixture records of one entity set *)
    ///           | "expect" ( "violation" | "pass" | "unknown" ) NAME "on" STRING
    ///           | statement ;                                    (* assert, let, def, rule, waive... *)
    /// ```
    /// A broken line inside the body reports its error and parsing goes on with the next line.
    mutating func parseTest() throws -> Stmt {
        let start = advance().span.start
        let name = try expectPlainString("after 'test' (the test's name, as in test \"a $2M project without a sponsor is a violation\")",
                                         what: "a test's name")
        guard continues({ $0.isSymbol(.lbrace) }), let open = accept(.lbrace) else {
            throw expected("'{' to start the body of test \"\(name.text)\"")
        }
        try enterBracket(open)
        defer { leaveBracket() }
        var body: [Stmt] = []
        while true {
            skipSeparators(semicolons: true)
            if at(.rbrace) || current.kind == .endOfInput { break }
            let itemStart = pos
            do {
                let st = try parseTestItem()
                switch current.kind {
                case .newline, .symbol(.semicolon), .symbol(.rbrace), .endOfInput: break
                default: throw expected("end of line")
                }
                body.append(st)
            } catch {
                record(ParseFailure(error))
                skipTestItem(from: itemStart)
            }
        }
        try expectClosing(.rbrace, for: open)
        return Stmt(.test(TestDecl(name: name.text, nameSpan: name.span, body: body)), span(from: start))
    }

    mutating func parseTestItem() throws -> Stmt {
        let t = current
        if case .identifier = peek(1).kind {
            if t.isWord("given") { return try parseGiven() }
            if t.isWord("expect") { return try parseExpect() }
        }
        if t.isKeyword(.test) {
            throw failure("a test cannot contain another test", at: t.span, help: "close this test with '}' before starting the next")
        }
        return try parseStatement()
    }

    /// `"given" NAME expr`: the records, usually a list `[{id: "P1", bac: $2M}, ...]`.
    mutating func parseGiven() throws -> Stmt {
        let start = advance().span.start
        let set = try expectName("after 'given' (an entity set, such as projects)")
        switch current.kind {
        case .newline, .endOfInput, .symbol(.semicolon), .symbol(.rbrace):
            throw expected("a list of records after 'given \(set.text)', as in [{id: \"P1\", bac: $2M}],")
        default: break
        }
        let records = try parseExpression()
        return Stmt(.given(set, records), span(from: start))
    }

    /// `"expect" ( "violation" | "pass" | "unknown" ) NAME "on" STRING`
    mutating func parseExpect() throws -> Stmt {
        let start = advance().span.start
        let t = current
        guard case .identifier(let word) = t.kind else { throw expected("violation, pass or unknown after 'expect'") }
        guard let outcome = ExpectedOutcome(rawValue: word.lowercased()) else {
            let all = ExpectedOutcome.allCases.map(\.rawValue)
            let hint = Suggest.closest(to: word, in: all).map { "did you mean '\($0)'?" } ?? "write expect violation, expect pass or expect unknown"
            throw failure("expected violation, pass or unknown after 'expect' but found '\(word)'", at: t.span, help: hint)
        }
        advance()
        let rule = try expectName("after 'expect \(outcome.rawValue)' (the id of a rule)")
        guard current.isWord("on") else {
            throw expected("'on' and an entity id after 'expect \(outcome.rawValue) \(rule.text)', as in on \"P1\",")
        }
        advance()
        let key = try expectPlainString("after 'on' (the id of a fixture entity, such as \"P1\")", what: "an entity id")
        return Stmt(.expect(outcome, rule, on: key.text, key.span), span(from: start))
    }

    /// After an error on a line of a test body: skips to the end of that line (outside brackets), or
    /// to the `}` that closes the test.
    mutating func skipTestItem(from start: Int) {
        var open = 0
        for i in start..<min(pos, tokens.count) { open = Parser.nesting(open, tokens[i]) }
        while current.kind != .endOfInput {
            if open == 0 && (current.kind == .newline || at(.semicolon) || at(.rbrace)) { return }
            open = Parser.nesting(open, advance())
        }
    }

    // MARK: - Helpers

    /// A string without `{...}` interpolation (single- or double-quoted), with its span.
    mutating func expectPlainString(_ context: String, what: String) throws -> (text: String, span: Span) {
        let t = current
        switch t.kind {
        case .rawString(let s):
            advance()
            return (s, t.span)
        case .string(let segments):
            var text = ""
            for segment in segments {
                guard case .text(let s) = segment else {
                    throw failure("\(what) is plain text and cannot contain '{...}'", at: t.span,
                                  help: "write {{ and }} for braces, or use single quotes")
                }
                text += s
            }
            advance()
            return (text, t.span)
        default:
            throw expected("a string \(context)")
        }
    }
}
