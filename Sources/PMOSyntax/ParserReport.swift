// `report "TITLE" { section "NAME" { statements } ... }` and `chart KIND(ARGS)`: documents made of
// titled sections, and charts of the portfolio. `section` and `chart` are contextual words, not
// keywords, so fields and variables with those names keep working.

/// `report "TITLE" { section ... }`.
public struct ReportDecl: Hashable, Sendable {
    public var title: String
    public var titleSpan: Span
    public var sections: [ReportSection]
    public init(title: String, titleSpan: Span, sections: [ReportSection]) {
        self.title = title; self.titleSpan = titleSpan; self.sections = sections
    }
}

/// `section "NAME" { statements }` inside a report.
public struct ReportSection: Hashable, Sendable {
    public var title: String
    public var titleSpan: Span
    public var body: [Stmt]
    public init(title: String, titleSpan: Span, body: [Stmt]) {
        self.title = title; self.titleSpan = titleSpan; self.body = body
    }
}

extension Parser {
    /// `changes since` at the start of a statement (`changes` alone is the set of change requests).
    var startsChangesSince: Bool { current.isWord("changes") && peek(1).isWord("since") }

    /// `"changes" "since" expr`: the table `changes_since(DATE)` (ChangesSince.swift in PMORuntime).
    mutating func parseChangesSince() throws -> Stmt {
        let start = advance().span.start
        let since = advance()
        let date = try parseExpression()
        let call = Expr(.call(Name("changes_since", since.span), [date]), span(from: start))
        return Stmt(.expr(call), span(from: start))
    }

    /// `chart NAME (` at the start of a statement: a chart rather than a variable named `chart`.
    var startsChart: Bool {
        guard current.isWord("chart"), case .identifier = peek(1).kind else { return false }
        return peek(2).isSymbol(.lparen)
    }

    /// `"chart" NAME "(" args ")"`: `chart rag(projects)`, `chart bars(projects | group by status | select status, n = count())`.
    mutating func parseChart() throws -> Stmt {
        let start = advance().span.start
        let kind = try expectName("after 'chart' (rag, cpi_spi, slip, utilization, ev_trend or bars)")
        guard let open = accept(.lparen) else { throw expected("'(' and the chart's data after 'chart \(kind.text)'") }
        let args = try parseArguments(open)
        return Stmt(.chart(kind, args), span(from: start))
    }

    /// `"report" STRING "{" { "section" STRING "{" { statement } "}" } "}"`
    mutating func parseReport() throws -> Stmt {
        let start = advance().span.start
        let title = try reportTitle("after 'report' (the report's title, as in report \"Weekly status\")")
        guard continues({ $0.isSymbol(.lbrace) }), let open = accept(.lbrace) else {
            throw expected("'{' to start the sections of report \"\(title.text)\"")
        }
        try enterBracket(open)
        defer { leaveBracket() }
        var sections: [ReportSection] = []
        while true {
            skipSeparators(semicolons: true)
            if at(.rbrace) || current.kind == .endOfInput { break }
            let t = current
            if startsChangesSince {
                // `changes since DATE` is a section of its own.
                let st = try parseChangesSince()
                var title = "Changes since"
                if case .expr(let e) = st.kind, case .call(_, let args) = e.kind, let d = args.first { title += " " + Printer.print(d) }
                sections.append(ReportSection(title: title, titleSpan: st.span, body: [st]))
                continue
            }
            guard t.isWord("section") else {
                var failure = failure("a report holds sections, as in section \"Red projects\" { ... }, but found \(t.displayName)",
                                      at: t.span, help: "put statements inside a section")
                if t.isKeyword(.report) { failure = self.failure("a report cannot contain another report", at: t.span) }
                throw failure
            }
            sections.append(try parseSection())
        }
        try expectClosing(.rbrace, for: open)
        return Stmt(.report(ReportDecl(title: title.text, titleSpan: title.span, sections: sections)), span(from: start))
    }

    /// `"section" STRING "{" { statement } "}"`; a broken statement is reported and the next one parsed.
    mutating func parseSection() throws -> ReportSection {
        advance()
        let title = try reportTitle("after 'section' (the section's heading)")
        guard continues({ $0.isSymbol(.lbrace) }), let open = accept(.lbrace) else {
            throw expected("'{' to start section \"\(title.text)\"")
        }
        try enterBracket(open)
        defer { leaveBracket() }
        var body: [Stmt] = []
        while true {
            skipSeparators(semicolons: true)
            if at(.rbrace) || current.kind == .endOfInput { break }
            let itemStart = pos
            do {
                let t = current
                if t.isKeyword(.report) { throw failure("a report cannot contain another report", at: t.span) }
                if startsSchedule {
                    throw failure("'schedule' belongs at the top of the script, not inside a report", at: t.span)
                }
                if t.isWord("section"), case .string = peek(1).kind {
                    throw failure("a section cannot contain another section", at: t.span,
                                  help: "close this section with '}' before starting the next")
                }
                let st = try parseStatement()
                switch current.kind {
                case .newline, .symbol(.semicolon), .symbol(.rbrace), .endOfInput: break
                default: throw expected("end of line")
                }
                body.append(st)
            } catch {
                record(ParseFailure(error))
                skipReportLine(from: itemStart)
            }
        }
        try expectClosing(.rbrace, for: open)
        return ReportSection(title: title.text, titleSpan: title.span, body: body)
    }

    /// After an error inside a section: skips to the end of that line (outside brackets) or its `}`.
    mutating func skipReportLine(from start: Int) {
        var open = 0
        for i in start..<min(pos, tokens.count) { open = Parser.nesting(open, tokens[i]) }
        while current.kind != .endOfInput {
            if open == 0 && (current.kind == .newline || at(.semicolon) || at(.rbrace)) { return }
            open = Parser.nesting(open, advance())
        }
    }

    /// A title: a string without `{...}` interpolation.
    mutating func reportTitle(_ context: String) throws -> (text: String, span: Span) {
        let t = current
        switch t.kind {
        case .rawString(let s):
            advance()
            return (s, t.span)
        case .string(let segments):
            var text = ""
            for segment in segments {
                guard case .text(let s) = segment else {
                    throw failure("a title is plain text and cannot contain '{...}'", at: t.span,
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
