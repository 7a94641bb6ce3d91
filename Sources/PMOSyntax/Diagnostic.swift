// Diagnostics as values: severity, message, span, notes and a fix hint; rendered by `DiagnosticRenderer`.

/// One problem found in a script or its data, with the place it points at.
public struct Diagnostic: Hashable, Sendable, Error {
    public enum Severity: String, Sendable { case error, warning, note }

    /// An extra remark, optionally pointing at another place (such as the opener of an unclosed bracket).
    public struct Note: Hashable, Sendable {
        public var message: String
        public var span: Span?
        public init(_ message: String, span: Span? = nil) { self.message = message; self.span = span }
    }

    public var severity: Severity
    /// Lowercase, no final period: `expected ')' to close '(' but found end of input`.
    public var message: String
    public var span: Span
    public var notes: [Note]
    /// A suggested fix, shown as `help: ...` (did-you-mean goes here).
    public var help: String?

    public init(_ severity: Severity = .error, _ message: String, at span: Span, notes: [Note] = [], help: String? = nil) {
        self.severity = severity; self.message = message; self.span = span; self.notes = notes; self.help = help
    }

    public static func error(_ message: String, at span: Span, notes: [Note] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: span, notes: notes, help: help)
    }
}

/// Renders diagnostics the way every host prints them:
///
///     report.pmo:3:16: error: unknown field 'sponser' on project
///        3 | projects where sponser is none
///          |                ^^^^^^^
///          = help: did you mean 'sponsor'?
public struct DiagnosticRenderer {
    public let sources: SourceMap
    public var color: Bool

    public init(sources: SourceMap, color: Bool = false) { self.sources = sources; self.color = color }

    /// The longest message shown whole; a longer one (quoting a huge token) is cut.
    public static let maxMessageBytes = 1000

    static func clipped(_ message: String) -> String {
        guard message.utf8.count > maxMessageBytes else { return message }
        var out = ""
        var used = 0
        for ch in message.unicodeScalars {
            used += String(ch).utf8.count
            if used > maxMessageBytes - 40 { break }
            out.unicodeScalars.append(ch)
        }
        return out + "... (\(message.utf8.count) bytes in all)"
    }

    public func render(_ d0: Diagnostic) -> String {
        var d = d0
        d.message = DiagnosticRenderer.clipped(d.message)
        var out = ""
        let file = sources.file(d.span.file)
        let sev = d.severity.rawValue
        let sevText = color ? (d.severity == .error ? "\u{1B}[1;31m\(sev)\u{1B}[0m" : "\u{1B}[1;33m\(sev)\u{1B}[0m") : sev
        if let f = file {
            let loc = f.location(of: Int(d.span.start))
            out += "\(f.name):\(loc.line):\(loc.column): \(sevText): \(d.message)\n"
            out += excerpt(f, d.span)
        } else {
            out += "\(sevText): \(d.message)\n"
        }
        for n in d.notes {
            if let s = n.span, let nf = sources.file(s.file) {
                let loc = nf.location(of: Int(s.start))
                out += "\(nf.name):\(loc.line):\(loc.column): note: \(n.message)\n"
                out += excerpt(nf, s)
            } else {
                out += "   = note: \(n.message)\n"
            }
        }
        if let h = d.help { out += "   = help: \(h)\n" }
        return out
    }

    public func render(_ ds: [Diagnostic]) -> String { ds.map(render).joined() }

    /// The source line with a gutter and carets under the span (clipped to the first line of the span).
    func excerpt(_ f: SourceFile, _ span: Span) -> String {
        let loc = f.location(of: Int(span.start))
        var line = f.lineText(loc.line)
        var col = loc.column
        // Very long lines: show a window of the line around the caret.
        let maxWidth = 160
        var prefix = ""
        if line.count > maxWidth {
            let startChar = max(0, col - 1 - 60)
            let chars = Array(line)
            let endChar = min(chars.count, startChar + maxWidth)
            line = String(chars[startChar..<endChar])
            if startChar > 0 { prefix = "..." ; col = col - startChar + 3 }
            if endChar < chars.count { line += "..." }
        }
        line = prefix + line
        let endLoc = f.location(of: Int(max(span.start, span.end)))
        var width = endLoc.line == loc.line ? max(1, endLoc.column - loc.column) : max(1, line.count - col + 1)
        width = min(width, max(1, line.count - col + 1))
        let gutter = String(loc.line)
        let pad = String(repeating: " ", count: gutter.count)
        // Keep tabs in the caret line so the caret stays aligned.
        var caretPad = ""
        for (i, ch) in line.enumerated() where i < col - 1 { caretPad.append(ch == "\t" ? "\t" : " ") }
        while caretPad.count < col - 1 { caretPad.append(" ") }
        var carets = String(repeating: "^", count: width)
        if color { carets = "\u{1B}[1;32m" + carets + "\u{1B}[0m" }
        return " \(gutter) | \(line)\n \(pad) | \(caretPad)\(carets)\n"
    }
}

/// Suggests the closest known name for a misspelled one (did-you-mean), by edit distance.
public enum Suggest {
    /// The best candidate within a distance that scales with the name's length, or `nil`.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let lower = name.lowercased()
        var best: (String, Int)?
        for c in candidates {
            if c.lowercased() == lower { return c }
            let d = distance(lower, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let b = best else { return nil }
        let limit = max(1, min(3, name.count / 3 + 1))
        return b.1 <= limit ? b.0 : nil
    }

    /// Damerau-Levenshtein (optimal string alignment) distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        if abs(x.count - y.count) > 4 { return max(x.count, y.count) }
        var prev2 = [Int](repeating: 0, count: y.count + 1)
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            prev2 = prev; prev = cur
        }
        return prev[y.count]
    }
}
