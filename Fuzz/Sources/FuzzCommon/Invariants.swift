// The invariants the fuzzers check beyond "does not crash". A broken invariant traps with a message,
// which libFuzzer reports as a crash and saves the input for.
import PMOSyntax

public enum FuzzFailure {
    /// Stops the process with `message` on standard error (libFuzzer saves the input as a crash).
    public static func fail(_ message: String) -> Never {
        fatalError("fuzz invariant broken: " + message)
    }
}

public enum Invariants {
    /// Tokens of a whole file: every span in the file and in bounds, spans in order and not
    /// overlapping, only whitespace and comments between them (and a byte order mark at the very
    /// start), and exactly one `.endOfInput`, last, empty, at the end of the text.
    public static func checkTokens(_ tokens: [Token], _ file: SourceFile) {
        let bytes = file.bytes
        let n = bytes.count
        guard let last = tokens.last else { FuzzFailure.fail("no tokens at all") }
        guard last.kind == .endOfInput, last.span.start == Int32(n), last.span.end == Int32(n) else {
            FuzzFailure.fail("the last token is \(last.kind) at \(last.span), not an empty end of input at \(n)")
        }
        var previousEnd = 0
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { previousEnd = 3 }
        for (i, t) in tokens.enumerated() {
            let s = Int(t.span.start), e = Int(t.span.end)
            guard t.span.file == file.id else { FuzzFailure.fail("token \(i) \(t.kind) names file \(t.span.file), not \(file.id)") }
            guard 0 <= s, s <= e, e <= n else { FuzzFailure.fail("token \(i) \(t.kind) has span \(s)..<\(e) outside 0..<\(n)") }
            guard s >= previousEnd else {
                FuzzFailure.fail("token \(i) \(t.kind) at \(s)..<\(e) starts before the previous token ends (\(previousEnd))")
            }
            if t.kind == .endOfInput {
                guard i == tokens.count - 1 else { FuzzFailure.fail("an end of input at token \(i) of \(tokens.count)") }
            } else if s == e {
                FuzzFailure.fail("token \(i) \(t.kind) is empty at \(s)")
            }
            checkGap(bytes, previousEnd, s, before: i, tokens)
            if case .string(let segments) = t.kind {
                var segmentEnd = s
                for case .interpolation(let sp) in segments {
                    guard sp.file == file.id, Int(sp.start) >= segmentEnd, sp.start <= sp.end, Int(sp.end) <= e else {
                        FuzzFailure.fail("interpolation \(sp) of the string at \(s)..<\(e) is out of order or outside it")
                    }
                    segmentEnd = Int(sp.end)
                }
            }
            previousEnd = e
        }
    }

    /// Bytes between two tokens may only be spaces, tabs, line breaks and `#` comments, except next
    /// to an error token: a malformed literal (a string with a bad escape or an unclosed `{`) is
    /// reported by error tokens covering just the offending bytes, and the rest of it, up to the end
    /// of its line, belongs to no token. So other bytes in a gap must lie on the line of an adjacent
    /// error token.
    static func checkGap(_ bytes: [UInt8], _ from: Int, _ to: Int, before token: Int, _ tokens: [Token]) {
        func isError(_ t: Token) -> Bool { if case .error = t.kind { return true } else { return false } }
        let afterError = token > 0 && isError(tokens[token - 1])
        let beforeError = token < tokens.count && isError(tokens[token])
        var lineStart = from
        var i = from
        var stray = -1 // the first byte on this line of the gap that is not whitespace or a comment
        while i <= to {
            if i == to || bytes[i] == 0x0A {
                if stray >= 0 {
                    let firstLine = lineStart == from, lastLine = i == to
                    if !((firstLine && afterError) || (lastLine && beforeError)) {
                        FuzzFailure.fail("byte \(bytes[stray]) at \(stray), before token \(token), belongs to no token, is not whitespace "
                                         + "or a comment and is not on the line of an error token; tokens: "
                                         + tokens.prefix(20).map { "\($0.kind)@\($0.span.start)..<\($0.span.end)" }.joined(separator: " "))
                    }
                }
                i += 1
                lineStart = i
                stray = -1
                continue
            }
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x23: while i < to && bytes[i] != 0x0A { i += 1 }
            default:
                if stray < 0 { stray = i }
                i += 1
            }
        }
    }

    /// Every diagnostic (and every note) points into a source the map knows, inside its bytes.
    public static func checkDiagnostics(_ diagnostics: [Diagnostic], _ sources: SourceMap) {
        for d in diagnostics {
            checkSpan(d.span, sources, "diagnostic '\(d.message)'")
            for note in d.notes {
                if let sp = note.span { checkSpan(sp, sources, "note '\(note.message)' of '\(d.message)'") }
            }
            if d.message.isEmpty { FuzzFailure.fail("a diagnostic with an empty message at \(d.span)") }
        }
    }

    /// A span lies inside a source file of the map.
    public static func checkSpan(_ span: Span, _ sources: SourceMap, _ what: String) {
        guard let f = sources.file(span.file) else { FuzzFailure.fail("\(what) has span \(span) in no known source") }
        guard 0 <= span.start, span.start <= span.end, Int(span.end) <= f.bytes.count else {
            FuzzFailure.fail("\(what) has span \(span.start)..<\(span.end) outside \(f.name) (\(f.bytes.count) bytes)")
        }
    }

    /// Parses, prints, parses the printed text and prints again: both prints must be equal, the
    /// printed text must parse without errors, and rendering every diagnostic must not trap.
    /// Returns the diagnostics of the first parse.
    @discardableResult
    public static func checkParse(_ bytes: [UInt8], maxDepth: Int = 200) -> [Diagnostic] {
        let sources = SourceMap()
        let file = sources.add(name: "<fuzz>", bytes: bytes)
        let (script, diagnostics) = Parser.parse(file, maxDepth: maxDepth)
        checkDiagnostics(diagnostics, sources)
        _ = DiagnosticRenderer(sources: sources).render(diagnostics)
        if !diagnostics.isEmpty { return diagnostics }
        let printed = Printer.print(script)
        let again = sources.add(name: "<printed>", text: printed)
        let (script2, diagnostics2) = Parser.parse(again, maxDepth: Int.max)
        guard diagnostics2.isEmpty else {
            let first = diagnostics2[0]
            FuzzFailure.fail("the printed form does not parse: \(first.message) at \(first.span)\n--- printed:\n\(printed)\n---")
        }
        let printed2 = Printer.print(script2)
        guard printed == printed2 else {
            FuzzFailure.fail("printing is not a fixed point\n--- first:\n\(printed)\n--- second:\n\(printed2)\n---")
        }
        return diagnostics
    }
}
