// String literals for the lexer: `"..."` with escapes and `{expr}` interpolation, and raw `'...'`.
//
// Strings end on their line: a line break before the closing quote is an `unterminated string`
// error (language.md has no multi-line strings; write `\n` for a line break in the text). This
// keeps one missing quote from swallowing the rest of a script.
import PMOBase

extension Lexer {
    /// A double-quoted string at `pos`. Text pieces have their escapes decoded (`\n \t \r \0 \" \' \\
    /// \{ \}`, `\u{1F600}`), `{{` and `}}` are literal braces (a lone `}` is too), and `{expr}` becomes
    /// an `.interpolation` with the span of `expr`. An empty string has no segments. When the string
    /// holds errors (bad escape, invalid UTF-8, empty `{}`), those error tokens replace the string token.
    mutating func string() {
        let open = pos
        pos += 1
        var segments: [StringSegment] = []
        // The decoded text of the current segment up to `run`. It stays empty while the text is one
        // plain run of source bytes (the common case), which `segmentText` then turns into a `String` directly.
        var buffer: [UInt8] = []
        var problems: [Token] = []
        var run = pos
        while true {
            guard pos < end else { return unterminated(open) }
            let b = bytes[pos]
            // Plain ASCII: anything but a line feed, '"', '\', '{' and '}'.
            if b < 0x80 && b != 0x0A && b != 0x22 && b != 0x5C && b != 0x7B && b != 0x7D {
                pos += 1
                continue
            }
            if b == 0x0A { return unterminated(open) }
            if b >= 0x80 {
                if let decoded = scalar(at: pos) {
                    pos += decoded.length
                    continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<pos]))
                problems.append(invalidUTF8Run())
                run = pos
                continue
            }
            if b == 0x22 { // closing '"'
                if let t = segmentText(&buffer, from: run) { segments.append(.text(t)) }
                pos += 1
                if problems.count == 0 { add(.string(segments), open, pos) } else { addAll(problems) }
                return
            }
            if b == 0x7B && !(pos + 1 < end && bytes[pos + 1] == 0x7B) { // '{' opens an interpolation
                guard let close = closingBrace(from: pos + 1) else {
                    addAll(problems)
                    let s = pos
                    pos = lineEnd(from: pos)
                    return error("unterminated '{' in string; write '{{' for a literal brace", s, pos)
                }
                if let t = segmentText(&buffer, from: run) { segments.append(.text(t)) }
                if isBlank(pos + 1, close) {
                    problems.append(Token(.error("empty '{}' in string; write '{{' and '}}' for literal braces"),
                                          span(pos, close + 1)))
                } else {
                    segments.append(.interpolation(span(pos + 1, close)))
                }
                pos = close + 1
                run = pos
                continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<pos]))
            if b == 0x5C { // '\'
                escape(into: &buffer, problems: &problems)
            } else { // `{{`, `}}`, or a lone `}`: a literal brace
                buffer.append(b)
                pos += (pos + 1 < end && bytes[pos + 1] == b) ? 2 : 1
            }
            run = pos
        }
    }

    /// The text of the segment ending at `pos`: the decoded `buffer` plus the source bytes `[run, pos)`,
    /// or `nil` when it is empty. Leaves `buffer` empty for the next segment.
    mutating func segmentText(_ buffer: inout [UInt8], from run: Int) -> String? {
        if buffer.count == 0 { return pos > run ? text(run, pos) : nil }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<pos]))
        let t = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll(keepingCapacity: true)
        return t
    }

    /// Decodes the escape at `pos` (a backslash) into `buffer`, or records an error in `problems`.
    mutating func escape(into buffer: inout [UInt8], problems: inout [Token]) {
        let s = pos
        // A backslash at the end of the line or input: the string is unterminated; the caller says so.
        guard pos + 1 < end, bytes[pos + 1] != 0x0A else { pos += 1; return }
        let c = bytes[pos + 1]
        pos += 2
        switch c {
        case 0x6E: buffer.append(0x0A) // \n
        case 0x74: buffer.append(0x09) // \t
        case 0x72: buffer.append(0x0D) // \r
        case 0x30: buffer.append(0x00) // \0
        case 0x22, 0x27, 0x5C, 0x7B, 0x7D: buffer.append(c) // \" \' \\ \{ \}
        case 0x75: // \u{...}: one to eight hex digits naming a Unicode scalar
            var v: UInt32 = 0
            var digits = 0
            var ok = pos < end && bytes[pos] == 0x7B
            if ok {
                pos += 1
                while pos < end, digits < 8, let h = Lexer.hexValue(bytes[pos]) {
                    v = v << 4 | h
                    digits += 1
                    pos += 1
                }
                ok = digits > 0 && pos < end && bytes[pos] == 0x7D
                if ok { pos += 1 }
            }
            if ok, let u = Unicode.Scalar(v) {
                UTF8.encode(u) { buffer.append($0) }
            } else {
                problems.append(Token(.error("invalid unicode escape '\(text(s, pos))' in string; write it as \\u{1F600}"),
                                      span(s, pos)))
            }
        default:
            if c >= 0x80 {
                guard let decoded = scalar(at: s + 1) else {
                    pos = s + 1
                    return problems.append(invalidUTF8Run())
                }
                pos = s + 1 + decoded.length
            }
            problems.append(Token(.error("unknown escape '\\\(text(s + 1, pos))' in string"), span(s, pos)))
        }
    }

    /// A single-quoted string at `pos`: no interpolation; only `\'` and `\\` are escapes, any other
    /// backslash is itself (`'C:\temp'`).
    mutating func rawString() {
        let open = pos
        pos += 1
        var buffer: [UInt8] = [] // decoded text before `run`, as in `string()`
        var problems: [Token] = []
        var run = pos
        while true {
            guard pos < end, bytes[pos] != 0x0A else { return unterminated(open) }
            let b = bytes[pos]
            if b == 0x27 { // closing '\''
                let t = segmentText(&buffer, from: run) ?? ""
                pos += 1
                if problems.count == 0 { add(.rawString(t), open, pos) } else { addAll(problems) }
                return
            }
            if b == 0x5C, pos + 1 < end, bytes[pos + 1] == 0x27 || bytes[pos + 1] == 0x5C {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<pos]))
                buffer.append(bytes[pos + 1])
                pos += 2
                run = pos
            } else if b >= 0x80 {
                if let decoded = scalar(at: pos) {
                    pos += decoded.length
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<pos]))
                    problems.append(invalidUTF8Run())
                    run = pos
                }
            } else {
                pos += 1
            }
        }
    }

    /// Reports a string that reaches the end of its line (or of the input) without its closing quote;
    /// the span runs from the opening quote to the end of the line.
    mutating func unterminated(_ open: Int) {
        var e = pos
        if e > open + 1 && bytes[e - 1] == 0x0D { e -= 1 }
        error("unterminated string", open, e)
    }

    /// An error token for the invalid UTF-8 bytes starting at `pos`, which it skips.
    mutating func invalidUTF8Run() -> Token {
        let s = pos
        pos += 1
        while pos < end && bytes[pos] >= 0x80 && scalar(at: pos) == nil { pos += 1 }
        return Token(.error(Lexer.invalidByte(bytes[s])), span(s, pos))
    }

    /// The offset of the `}` that closes an interpolation whose expression starts at `from`, or `nil`
    /// when the line ends first. Counts nested braces and skips string literals inside the expression,
    /// which may hold interpolations of their own, without recursion: `saved` keeps the brace counts of
    /// the enclosing expressions (and stays unallocated unless strings nest inside the expression).
    mutating func closingBrace(from: Int) -> Int? {
        let inExpression: UInt8 = 0, inQuoted: UInt8 = 1, inRaw: UInt8 = 2
        var mode = inExpression
        var braces = 0 // unclosed `{` of the innermost expression
        var saved: [Int] = []
        var i = from
        while i < end {
            let b = bytes[i]
            if b == 0x0A { return nil }
            let next: UInt8 = i + 1 < end ? bytes[i + 1] : 0
            if mode == inExpression {
                if b == 0x7B { // '{'
                    braces += 1
                } else if b == 0x7D { // '}'
                    if braces > 0 {
                        braces -= 1
                    } else if let outer = saved.popLast() {
                        braces = outer
                        mode = inQuoted
                    } else {
                        return i
                    }
                } else if b == 0x22 { // '"'
                    mode = inQuoted
                } else if b == 0x27 { // '\''
                    mode = inRaw
                }
            } else if mode == inQuoted {
                if b == 0x5C { // '\' escapes the next byte
                    if next != 0x0A { i += 1 }
                } else if b == 0x22 {
                    mode = inExpression
                } else if b == 0x7B {
                    if next == 0x7B {
                        i += 1
                    } else {
                        saved.append(braces)
                        braces = 0
                        mode = inExpression
                    }
                } else if b == 0x7D && next == 0x7D {
                    i += 1
                }
            } else if b == 0x5C { // in a raw string, `\'` and `\\` are escapes
                if next == 0x27 || next == 0x5C { i += 1 }
            } else if b == 0x27 {
                mode = inExpression
            }
            i += 1
        }
        return nil
    }

    /// The offset of the line break ending the line that holds `i` (or the end of the range).
    mutating func lineEnd(from i: Int) -> Int {
        var j = i
        while j < end && bytes[j] != 0x0A { j += 1 }
        return j
    }

    /// True when `[s, e)` holds only spaces, tabs and carriage returns.
    mutating func isBlank(_ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            if bytes[i] != 0x20 && bytes[i] != 0x09 && bytes[i] != 0x0D { return false }
            i += 1
        }
        return true
    }

    mutating func addAll(_ list: [Token]) {
        guard !list.isEmpty else { return }
        tokens.append(contentsOf: list)
        afterNewline = false
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }
}
