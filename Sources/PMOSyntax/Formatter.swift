// `pmo fmt`: a script rewritten in the canonical layout through the printer, comments kept.
import PMOBase

/// Formats whole scripts. Each statement is printed by `Printer` (canonical form); comment lines and
/// single blank lines between statements are kept where they were, and a comment at the end of a
/// statement's last line stays after it. A statement with a comment inside it (between two of its
/// own tokens) is kept exactly as written, so no comment is ever lost. Formatting is idempotent:
/// formatting the output again changes nothing.
public enum Formatter {
    /// The formatted text, or nil with the syntax errors when the script does not parse.
    public static func format(_ file: SourceFile) -> (text: String?, diagnostics: [Diagnostic]) {
        let (script, diagnostics) = Parser.parse(file)
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        let bytes = file.bytes
        let tokens = Lexer.tokenize(file).filter { $0.kind != .newline && $0.kind != .endOfInput }
        var out = ""
        var cursor = 0
        var tokenIndex = 0
        for stmt in script.statements {
            let start = Int(stmt.span.start), end = Int(stmt.span.end)
            out += gap(bytes, from: cursor, to: start, atStart: out.isEmpty)
            // The statement's own tokens: a comment between two of them keeps the statement verbatim.
            while tokenIndex < tokens.count && Int(tokens[tokenIndex].span.start) < start { tokenIndex += 1 }
            var first = tokenIndex
            var commentInside = false
            while tokenIndex < tokens.count && Int(tokens[tokenIndex].span.end) <= end {
                if tokenIndex > first, hasComment(bytes, Int(tokens[tokenIndex - 1].span.end), Int(tokens[tokenIndex].span.start)) {
                    commentInside = true
                }
                tokenIndex += 1
            }
            first = tokenIndex
            _ = first
            if commentInside {
                out += String(decoding: bytes[start..<end], as: UTF8.self)
            } else {
                out += printKeepingStageLines(stmt, bytes)
            }
            // A comment after the statement on its last line.
            var i = end
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x3B) { i += 1 }
            if i < bytes.count && bytes[i] == 0x23 {
                var j = i
                while j < bytes.count && bytes[j] != 0x0A { j += 1 }
                out += "  " + trimmedRight(bytes[i..<j])
                i = j
            }
            out += "\n"
            cursor = i
        }
        out += gap(bytes, from: cursor, to: bytes.count, atStart: out.isEmpty)
        while out.hasSuffix("\n\n") { out.removeLast() }
        return (out, diagnostics)
    }

    /// The statement in canonical form, except that a pipeline whose stages the author put on lines of
    /// their own keeps them there: each such stage on its own line, indented two spaces, without `|`
    /// (a line that begins with a stage keyword continues the pipeline; language.md "Layout").
    static func printKeepingStageLines(_ stmt: Stmt, _ bytes: [UInt8]) -> String {
        let w = Writer(fullyParenthesized: false)
        func lines(_ e: Expr) -> String? {
            guard case .pipeline(let source, let stages) = e.kind else { return nil }
            var previousEnd = Int(source.span.end)
            var broken: [Bool] = []
            for st in stages {
                let start = min(Int(st.span.start), bytes.count)
                broken.append(previousEnd < start && bytes[previousEnd..<start].contains(0x0A))
                previousEnd = max(previousEnd, Int(st.span.end))
            }
            guard broken.contains(true) else { return nil }
            var text = w.sub(source, .conditional)
            for (i, st) in stages.enumerated() {
                if broken[i] { text += "\n  " } else if i == 0, case .where = st.kind { text += " " } else { text += " | " }
                text += w.stage(st)
            }
            return text
        }
        switch stmt.kind {
        case .expr(let e): if let t = lines(e) { return t }
        case .let(let name, let e): if let t = lines(e) { return "let \(name.text) = " + t }
        case .print(let e): if let t = lines(e) { return "print " + t }
        case .export(let e, let target): if let t = lines(e) { return "export " + t + " to " + w.sub(target, .conditional) }
        default: break
        }
        return Printer.print(stmt)
    }

    /// The comment lines between two statements, with runs of blank lines made one blank line.
    static func gap(_ bytes: [UInt8], from: Int, to: Int, atStart: Bool) -> String {
        guard from < to else { return "" }
        var out = ""
        var blank = false
        var lineStart = from
        var lines: [ArraySlice<UInt8>] = []
        for i in from..<to where bytes[i] == 0x0A {
            lines.append(bytes[lineStart..<i]); lineStart = i + 1
        }
        lines.append(bytes[lineStart..<to])
        // The first piece is the rest of the previous statement's line (already written).
        for (n, line) in lines.enumerated() {
            let text = trimmedRight(line).drop { $0 == " " || $0 == "\t" || $0 == ";" }
            if text.hasPrefix("#") {
                if blank && !out.isEmpty || blank && !atStart && out.isEmpty { out += "\n" }
                blank = false
                out += text + "\n"
            } else if text.isEmpty {
                if n > 0 && n < lines.count - 1 { blank = true }
            }
        }
        if blank && !(atStart && out.isEmpty) { out += "\n" }
        return out
    }

    static func hasComment(_ bytes: [UInt8], _ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        return bytes[from..<to].contains(0x23)
    }

    static func trimmedRight(_ s: ArraySlice<UInt8>) -> String {
        var t = String(decoding: s, as: UTF8.self)
        while let last = t.last, last == " " || last == "\t" || last == "\r" { t.removeLast() }
        return t
    }
}
