// The hand-written recursive-descent parser: entry points, the token cursor, errors and recovery.
//
// Expressions are in ParserExpressions.swift, strings in ParserStrings.swift, pipeline stages in
// ParserStages.swift, statements in ParserStatements.swift and the operator table in
// ParserPrecedence.swift; grammar.md is the grammar.
//
// Errors unwind with `throw` to the statement being parsed, which records one diagnostic and skips
// to the next line (at bracket depth 0), so every statement reports at most one syntax error and a
// script with several broken statements reports each of them once.

/// Parses pmo source text into a `Script` or an `Expr`, returning diagnostics instead of failing.
public struct Parser {
    let file: SourceFile
    var tokens: [Token]
    var pos = 0
    /// End offset of the last token consumed (line breaks aside), for spans that end at it.
    var lastEnd: Int32 = 0
    /// Current nesting of brackets, `if`s and interpolations; capped at `maxDepth`.
    var depth: Int
    let maxDepth: Int
    /// The brackets being parsed, innermost last, to blame an unclosed one.
    var openers: [Token] = []
    /// True in the parser of an `{expr}` interpolation, whose end of input is the closing `}`.
    let inInterpolation: Bool
    var diagnostics: [Diagnostic] = []

    init(file: SourceFile, tokens: [Token], maxDepth: Int, depth: Int = 0, inInterpolation: Bool = false) {
        self.file = file
        var toks = tokens
        if toks.last?.kind != .endOfInput {
            let end = toks.last?.span.end ?? Int32(clamping: file.bytes.count)
            toks.append(Token(.endOfInput, Span(file: file.id, start: end, end: end)))
        }
        self.tokens = toks
        self.maxDepth = maxDepth
        self.depth = depth
        self.inInterpolation = inInterpolation
        self.lastEnd = toks.first?.span.start ?? 0
    }

    // MARK: - Entry points

    /// Parses a whole script: `script = { statement (newline | ';') }`.
    ///
    /// Returns every statement that parsed and all diagnostics (lexical and syntactic), in source order.
    /// `maxDepth` bounds the nesting of brackets, `if`s and interpolations so no input can exhaust the stack.
    public static func parse(_ file: SourceFile, maxDepth: Int = 200) -> (Script, [Diagnostic]) {
        var parser = Parser(file: file, tokens: Lexer.tokenize(file), maxDepth: maxDepth)
        parser.reportLexicalErrors()
        let script = parser.parseScript()
        return (script, parser.sortedDiagnostics)
    }

    /// Parses the whole file as one expression or pipeline (command-line `-e` text, REPL values).
    public static func parseExpression(_ file: SourceFile) -> (Expr?, [Diagnostic]) {
        var parser = Parser(file: file, tokens: Lexer.tokenize(file), maxDepth: 200)
        parser.reportLexicalErrors()
        parser.skipSeparators(semicolons: false)
        do {
            let expr = try parser.parsePipeline()
            parser.skipSeparators(semicolons: false)
            guard parser.current.kind == .endOfInput else { throw parser.expected("end of input") }
            return (expr, parser.sortedDiagnostics)
        } catch {
            parser.record(ParseFailure(error))
            return (nil, parser.sortedDiagnostics)
        }
    }

    /// True when the text is an unfinished statement that more lines could complete: an open bracket,
    /// a trailing `|`, binary operator or `,`, an `if` without `else`, a `between` without `and`. The
    /// REPL shows its continuation prompt then. Decided from the parse: the text is incomplete exactly
    /// when it has errors and every one of them is at its very end. A string missing its closing quote
    /// is not incomplete: strings end on their line, so a next line could not finish it.
    public static func isIncomplete(_ file: SourceFile) -> Bool {
        let tokens = Lexer.tokenize(file)
        guard let last = tokens.last(where: { $0.kind != .newline && $0.kind != .endOfInput }) else { return false }
        if case .error = last.kind { return false }
        let contentEnd = last.span.end
        var parser = Parser(file: file, tokens: tokens, maxDepth: 200)
        parser.reportLexicalErrors()
        _ = parser.parseScript()
        return !parser.diagnostics.isEmpty && parser.diagnostics.allSatisfy { $0.span.start >= contentEnd }
    }

    // MARK: - Script

    /// `script = { statement (newline | ';') }`
    mutating func parseScript() -> Script {
        var statements: [Stmt] = []
        var broken: [String] = []
        var failures = 0
        while true {
            skipSeparators(semicolons: true)
            if current.kind == .endOfInput { break }
            if failures == Parser.maxFailures {
                diagnostics.append(.error("too many syntax errors; stopping after \(failures)", at: current.span))
                break
            }
            let start = pos
            depth = 0
            openers = []
            do {
                let stmt = try parseStatement()
                try expectEndOfStatement()
                statements.append(stmt)
            } catch {
                let failure = ParseFailure(error)
                record(failure)
                if start + 1 < tokens.count, tokens[start].isKeyword(.let) || tokens[start].isKeyword(.def),
                   case .identifier(let n) = tokens[start + 1].kind { broken.append(n) }
                failures += 1
                synchronize(from: start, skipIndentedLines: failure.skipIndentedLines)
            }
        }
        return Script(statements: statements, brokenDefinitions: broken)
    }

    /// Broken statements reported before the parser gives up on a script: past this many, the rest is
    /// most likely not pmo at all (and recovering from each costs a pass over the rest of the file).
    static let maxFailures = 100

    /// A statement ends at a line break, a `;` or the end of input.
    mutating func expectEndOfStatement() throws {
        switch current.kind {
        case .newline, .symbol(.semicolon), .endOfInput: return
        default: throw expected("end of line")
        }
    }

    // MARK: - Token cursor

    var current: Token { tokens[min(pos, tokens.count - 1)] }

    /// The token `n` places after the current one (the end-of-input token past the end).
    func peek(_ n: Int) -> Token { tokens[min(pos + n, tokens.count - 1)] }

    /// The token before the current one, if any.
    var previous: Token? { pos > 0 ? tokens[min(pos - 1, tokens.count - 1)] : nil }

    @discardableResult
    mutating func advance() -> Token {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        if t.kind != .newline { lastEnd = t.span.end }
        return t
    }

    func at(_ k: Keyword) -> Bool { current.isKeyword(k) }
    func at(_ s: Symbol) -> Bool { current.isSymbol(s) }

    /// Consumes the keyword if it is next.
    mutating func accept(_ k: Keyword) -> Token? { at(k) ? advance() : nil }
    /// Consumes the symbol if it is next.
    mutating func accept(_ s: Symbol) -> Token? { at(s) ? advance() : nil }

    /// Consumes the keyword or fails with `expected 'k' <context> but found ...`.
    @discardableResult
    mutating func expect(_ k: Keyword, _ context: String) throws -> Token {
        if let t = accept(k) { return t }
        throw expected("'\(k.rawValue)' \(context)")
    }

    /// Consumes the symbol or fails with `expected 's' <context> but found ...`.
    @discardableResult
    mutating func expect(_ s: Symbol, _ context: String) throws -> Token {
        if let t = accept(s) { return t }
        throw expected("'\(s.rawValue)' \(context)")
    }

    /// Consumes the closing bracket of `opener`, or fails naming the opener (with a note at it).
    @discardableResult
    mutating func expectClosing(_ closer: Symbol, for opener: Token) throws -> Token {
        if let t = accept(closer) { return t }
        let open = opener.displayName
        var failure = expected("'\(closer.rawValue)' to close \(open)")
        failure.diagnostic?.notes.append(Diagnostic.Note("\(open) opened here", span: opener.span))
        throw failure
    }

    /// Skips line breaks (inside braces, and where a line obviously goes on).
    mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    /// Skips line breaks and, if asked, `;` between statements.
    mutating func skipSeparators(semicolons: Bool) {
        while current.kind == .newline || (semicolons && at(.semicolon)) { advance() }
    }

    /// The first token that is not a line break, from the cursor on.
    var nextAfterNewlines: Token {
        var i = pos
        while i < tokens.count - 1 && tokens[i].kind == .newline { i += 1 }
        return tokens[min(i, tokens.count - 1)]
    }

    /// Skips line breaks when the first token after them satisfies `test` (a line that starts
    /// with `|`, `then` or `else` continues the one before). Returns whether that token is next now.
    mutating func continues(_ test: (Token) -> Bool) -> Bool {
        guard test(nextAfterNewlines) else { return false }
        skipNewlines()
        return true
    }

    /// The identifier at the cursor as a `Name`, or a failure `expected a name <context>`.
    mutating func expectName(_ context: String) throws -> Name {
        if case .identifier(let text) = current.kind {
            let t = advance()
            return Name(text, t.span)
        }
        throw expected("a name \(context)")
    }

    /// A name after `.`: an identifier or any keyword (`latest_status.as_of`, `x.order`).
    mutating func expectMemberName(_ context: String) throws -> Name {
        if case .keyword(let k) = current.kind {
            let t = advance()
            return Name(k.rawValue, t.span)
        }
        return try expectName(context)
    }

    /// A span from `start` to the end of the last consumed token.
    func span(from start: Int32) -> Span {
        Span(file: file.id, start: start, end: max(start, lastEnd))
    }

    // MARK: - Errors and recovery

    /// `expected <what> but found <current token>`; at a lexical error token the failure carries no
    /// new diagnostic, because that token was already reported. A statement keyword at the start of a
    /// line inside a bracket means the bracket was never closed, and the error says so.
    func expected(_ what: String) -> ParseFailure {
        let t = current
        if case .error = t.kind { return ParseFailure(diagnostic: nil) }
        if let opener = openers.last, startsStatementLine(t), case .symbol(let s) = opener.kind,
           let closer = Parser.closers[s], !what.hasPrefix("'\(closer.rawValue)'") {
            var failure = failure("expected '\(closer.rawValue)' to close \(opener.displayName) but found \(t.displayName)", at: t.span)
            failure.diagnostic?.notes.append(Diagnostic.Note("\(opener.displayName) opened here", span: opener.span))
            return failure
        }
        var found = t.displayName
        var at = t.span
        if t.kind == .endOfInput {
            // Inside `{...}` the end is the closing brace; otherwise point just after the last token,
            // not at a blank line below it.
            if inInterpolation { found = "'}'" } else { at = Span(file: file.id, start: lastEnd, end: lastEnd) }
        }
        return ParseFailure(diagnostic: .error("expected \(what) but found \(found)", at: at, help: habitHelp(t)))
    }

    /// A fix for a habit from SQL or spreadsheets at token `t`: `2 weeks` for `2w`.
    func habitHelp(_ t: Token) -> String? {
        guard case .identifier(let word) = t.kind, pos > 0, case .integer(let n) = tokens[pos - 1].kind else { return nil }
        let units = ["day": "d", "days": "d", "week": "w", "weeks": "w", "month": "mo", "months": "mo",
                     "year": "y", "years": "y", "hour": "h", "hours": "h"]
        guard let unit = units[word.lowercased()] else { return nil }
        return "a duration is written as one word: \(n)\(unit) (d days, w weeks, mo months, y years, bd business days, h hours)"
    }

    func failure(_ message: String, at span: Span, help: String? = nil) -> ParseFailure {
        ParseFailure(diagnostic: .error(message, at: span, help: help))
    }

    mutating func record(_ failure: ParseFailure) {
        if let d = failure.diagnostic { diagnostics.append(d) }
    }

    /// One diagnostic per lexical error token, reported before parsing; past `maxFailures` of them,
    /// one more says so (32 KB of stray bytes would otherwise give 32,000 diagnostics, each showing
    /// the whole line).
    mutating func reportLexicalErrors() {
        var count = 0
        for t in tokens {
            guard case .error(let message) = t.kind else { continue }
            count += 1
            if count <= Parser.maxFailures {
                let parts = message.split(separator: Lexer.helpSeparator, maxSplits: 1).map(String.init)
                diagnostics.append(.error(parts.first ?? message, at: t.span, help: parts.count > 1 ? parts[1] : nil))
            } else if count == Parser.maxFailures + 1 {
                diagnostics.append(.error("too many lexical errors; only the first \(Parser.maxFailures) are shown", at: t.span))
            }
        }
    }

    var sortedDiagnostics: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            a.element.span.start != b.element.span.start ? a.element.span.start < b.element.span.start : a.offset < b.offset
        }.map(\.element)
    }

    /// After an error in the statement that began at token `start`: skips to the next line break or
    /// `;` outside brackets, then past lines that continue the statement (starting with `|`, `then`
    /// or `else`; and, for a statement of a later version, every indented line). Inside a bracket that
    /// is never closed (where the lexer makes no line breaks), a statement keyword at the start of a
    /// line ends the skipping and the rest is lexed again, so one missing `)` hides nothing after it.
    mutating func synchronize(from start: Int, skipIndentedLines: Bool) {
        var open = 0
        for i in start..<min(pos, tokens.count) { open = Parser.nesting(open, tokens[i]) }
        while true {
            while current.kind != .endOfInput {
                if open == 0 && (current.kind == .newline || at(.semicolon)) { break }
                if open > 0 && pos > start && startsStatementLine(current) {
                    relexFromCurrent()
                    return
                }
                open = Parser.nesting(open, advance())
            }
            guard current.kind == .newline else { return }
            let lineStart = pos
            skipNewlines()
            let t = current
            let continuation = t.isSymbol(.pipe) || t.isKeyword(.then) || t.isKeyword(.else)
                || (Parser.beginsStage(tokens, pos) && !(t.isKeyword(.as) && isAtLineStart(t)))
            let indented = skipIndentedLines && t.kind != .endOfInput && !isAtLineStart(t)
            if !(continuation || indented) {
                pos = lineStart
                return
            }
        }
    }

    /// Lexes the rest of the file again from the current token, outside any bracket, so that its line
    /// breaks are tokens again after a bracket that was never closed. (Its lexical errors were
    /// reported already, from the first lexing.)
    mutating func relexFromCurrent() {
        var lexer = Lexer(file: file, start: Int(current.span.start), end: file.bytes.count)
        tokens = Array(tokens[..<pos]) + lexer.tokenize()
    }

    /// True for a statement keyword in the first column of a line.
    func startsStatementLine(_ t: Token) -> Bool {
        guard case .keyword(let k) = t.kind else { return false }
        let statementKeywords: Set<Keyword> = [.let, .def, .print, .export, .use, .assert, .explain]
        guard statementKeywords.contains(k) || Parser.laterStatements.contains(k) else { return false }
        return isAtLineStart(t)
    }

    /// True when `t` starts in the first column (a binary search of the line table, so checking
    /// every token of a huge line stays cheap).
    func isAtLineStart(_ t: Token) -> Bool {
        let offset = Int(t.span.start)
        var lo = 0, hi = file.lineStarts.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let start = file.lineStarts[mid]
            if start == offset { return true }
            if start < offset { lo = mid + 1 } else { hi = mid - 1 }
        }
        return false
    }

    /// Bracket depth after token `t`, never below zero.
    static func nesting(_ open: Int, _ t: Token) -> Int {
        switch t.kind {
        case .symbol(.lparen), .symbol(.lbracket), .symbol(.lbrace): return open + 1
        case .symbol(.rparen), .symbol(.rbracket), .symbol(.rbrace): return max(0, open - 1)
        default: return open
        }
    }

    static let closers: [Symbol: Symbol] = [.lparen: .rparen, .lbracket: .rbracket, .lbrace: .rbrace]

    /// Enters a bracket: one level of nesting, remembered as the opener to blame if it is not closed.
    mutating func enterBracket(_ open: Token) throws {
        try enterNesting(at: open)
        openers.append(open)
    }

    mutating func leaveBracket() {
        depth -= 1
        _ = openers.popLast()
    }

    /// Enters one level of nesting (a bracket, an `if`, an interpolation), failing past `maxDepth`.
    mutating func enterNesting(at t: Token) throws {
        depth += 1
        if depth > maxDepth {
            depth -= 1
            throw failure("expression is nested too deeply (more than \(maxDepth) levels)", at: t.span)
        }
    }
}

/// A syntax error unwinding to the statement being parsed. Its diagnostic is `nil` when the error is
/// a lexical error token, which was reported already.
///
/// The parse functions use untyped `throws` although they throw only this: typed throws reserve an
/// error buffer in every caller's frame, which nearly doubles the stack each level of nesting takes
/// in debug builds.
struct ParseFailure: Error {
    var diagnostic: Diagnostic?
    /// Set for statements of later versions (`rule ...`), whose clauses on indented lines are skipped too.
    var skipIndentedLines = false

    init(diagnostic: Diagnostic?, skipIndentedLines: Bool = false) {
        self.diagnostic = diagnostic
        self.skipIndentedLines = skipIndentedLines
    }

    /// The failure a parse function threw (nothing else is ever thrown).
    init(_ error: any Error) {
        self = error as? ParseFailure ?? ParseFailure(diagnostic: nil)
    }
}
