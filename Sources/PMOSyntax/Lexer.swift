// The hand-written lexer: turns a source file's UTF-8 bytes into tokens with byte spans.
//
// Lexical errors never throw and never trap: each becomes an `.error(message)` token with the
// span of the offending bytes, and lexing carries on so one pass finds every bad literal.
// This file holds the driver, words, punctuation, line breaks and UTF-8 checking; numbers,
// dates, periods, money and durations are in LexerLiterals.swift, strings in LexerStrings.swift.
import PMOBase

/// Splits source text into tokens.
///
/// - Works on `file.bytes`; a `String` is made per identifier or literal, never per character.
/// - Spans are byte offsets into the whole file, also when lexing a sub-range such as the
///   expression of a `{expr}` string interpolation.
/// - Line breaks become `.newline` tokens, except inside `(` and `[` (so a long call or list may
///   span lines); braces do not suppress them. A run of line breaks (with blank or comment-only
///   lines between them) gives one token, and none is produced before the first real token.
/// - The output always ends with exactly one `.endOfInput` token, with an empty span at the end.
/// - Nesting is tracked with a counter and the lexer never recurses, so deeply nested input is safe.
///
/// Speed in debug builds (a 10 MB line must lex well within a second) shapes the code: bytes are
/// read through an `UnsafeBufferPointer` that lives only while `tokenize()` runs (as swift-syntax's
/// lexer does; every read is guarded by an explicit `< end` check), hot loops compare numeric byte
/// values, results are small structs rather than tuples, and helpers are `mutating` so that calls
/// pass `self` by reference instead of copying it.
public struct Lexer {
    let file: SourceFile
    let fileID: Int32
    /// The byte range being lexed, `[start, end)`.
    let start: Int
    let end: Int
    /// The file's bytes; valid only inside `tokenize()`, empty otherwise.
    var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var pos: Int
    /// Open `(` and `[` not yet closed; line breaks inside them are not tokens.
    var depth = 0
    var tokens: [Token] = []
    /// True at the start and right after a `.newline` token (to collapse runs of line breaks).
    var afterNewline = true

    /// Lexes the whole file.
    public init(file: SourceFile) {
        self.init(file: file, start: 0, end: file.bytes.count)
    }

    /// Lexes the bytes `[start, end)` of the file (clamped to the file); spans stay in file coordinates.
    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        fileID = file.id
        let count = file.bytes.count
        let s = min(max(0, start), count)
        self.start = s
        self.end = min(max(s, end), count)
        pos = s
    }

    /// Tokens of the whole file.
    public static func tokenize(_ file: SourceFile) -> [Token] {
        var lexer = Lexer(file: file)
        return lexer.tokenize()
    }

    /// Lexes the range from its start; calling it again lexes it again.
    public mutating func tokenize() -> [Token] {
        pos = start
        depth = 0
        tokens = []
        afterNewline = true
        let source = file
        source.bytes.withUnsafeBufferPointer { buffer in
            bytes = buffer
            // A UTF-8 byte order mark at the very start of the file is not part of the text.
            if pos == 0, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
            while pos < end { next() }
            bytes = UnsafeBufferPointer(start: nil, count: 0)
        }
        add(.endOfInput, end, end)
        return tokens
    }

    // MARK: - Driver

    /// Lexes one token (or skips whitespace or a comment) at `pos`. (Plain comparisons rather than
    /// range patterns: those are generic calls in debug builds.)
    mutating func next() {
        let c = bytes[pos]
        if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F { // a-z A-Z _
            word()
        } else if c == 0x20 || c == 0x09 || c == 0x0D { // space, tab, carriage return
            pos += 1
        } else if c >= 0x30 && c <= 0x39 { // 0-9
            number()
        } else if c == 0x0A { // line feed
            lineBreak()
        } else if c == 0x22 { // '"'
            string()
        } else if c == 0x27 { // '\''
            rawString()
        } else if c == 0x23 { // '#': a comment to the end of the line (its bytes are not checked)
            pos += 1
            while pos < end && bytes[pos] != 0x0A { pos += 1 }
        } else if c == 0x24 { // '$'
            symbolMoney(length: 1, symbol: "$", currency: "USD")
        } else if c < 0x80 {
            punctuation()
        } else if c == 0xC2 && pos + 1 < end && bytes[pos + 1] == 0xA3 { // '£'
            symbolMoney(length: 2, symbol: "£", currency: "GBP")
        } else if c == 0xC2 && pos + 1 < end && bytes[pos + 1] == 0xA5 { // '¥'
            symbolMoney(length: 2, symbol: "¥", currency: "JPY")
        } else if c == 0xE2 && pos + 2 < end && bytes[pos + 1] == 0x82 && bytes[pos + 2] == 0xAC { // '€'
            symbolMoney(length: 3, symbol: "€", currency: "EUR")
        } else {
            nonASCII()
        }
    }

    /// Appends a token for the bytes `[s, e)`.
    mutating func add(_ kind: TokenKind, _ s: Int, _ e: Int) {
        tokens.append(Token(kind, span(s, e)))
        afterNewline = false
    }

    mutating func error(_ message: String, _ s: Int, _ e: Int) {
        add(.error(message), s, e)
    }

    /// Separates a lexical error's message from its fix (`help:`) inside the error token's text.
    public static let helpSeparator: Character = "\u{1E}"

    /// A lexical error with a fix, shown as `help: ...`.
    mutating func error(_ message: String, _ s: Int, _ e: Int, help: String) {
        add(.error(message + String(Lexer.helpSeparator) + help), s, e)
    }

    mutating func lineBreak() {
        let s = pos
        pos += 1
        guard depth == 0, !afterNewline else { return }
        add(.newline, s, pos)
        afterNewline = true
    }

    // MARK: - Words

    /// Every keyword packed as `word()` packs words (five bits per letter, a = 1 ... z = 26), sorted,
    /// and the keyword of each key: lookup is a binary search over integers, with no `String` made.
    static let keywordKeys: [UInt64] = Keyword.allCases.map(packed).sorted()
    static let keywordValues: [Keyword] = Keyword.allCases.sorted { packed($0) < packed($1) }

    static func packed(_ k: Keyword) -> UInt64 {
        k.rawValue.utf8.reduce(0) { $0 << 5 | UInt64($1 - 0x60) }
    }

    static func keyword(_ key: UInt64) -> Keyword? {
        let keys = keywordKeys
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key ? keywordValues[lo] : nil
    }

    /// An identifier, a keyword (case-insensitive) or a fiscal year (`FY2026`, `fy2026`).
    mutating func word() {
        let s = pos
        var key: UInt64 = 0 // the letters, case folded, five bits each (extra high bits fall off)
        var onlyLetters = true // keywords have no digits or `_`
        while pos < end {
            let b = bytes[pos]
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) { // a-z A-Z
                key = key << 5 | UInt64((b | 0x20) - 0x60)
            } else if (b >= 0x30 && b <= 0x39) || b == 0x5F { // 0-9 _
                onlyLetters = false
            } else {
                break
            }
            pos += 1
        }
        if onlyLetters && pos - s <= 12, let k = Lexer.keyword(key) {
            add(.keyword(k), s, pos)
            return
        }
        if pos - s == 6, bytes[s] | 0x20 == 0x66, bytes[s + 1] | 0x20 == 0x79, // 'f' 'y'
           let year = decimalValue(s + 2, s + 6) {
            if year >= 1 && year <= 9999 {
                add(.period(.fiscalYear(year)), s, pos)
            } else {
                error("\(text(s, pos)) is not a valid fiscal year", s, pos)
            }
            return
        }
        add(.identifier(text(s, pos)), s, pos)
    }

    // MARK: - Punctuation

    mutating func punctuation() {
        let s = pos
        let c = bytes[pos]
        let next: UInt8 = pos + 1 < end ? bytes[pos + 1] : 0
        var length = 1
        let symbol: Symbol
        switch c {
        case 0x28: symbol = .lparen; depth += 1 // (
        case 0x29: symbol = .rparen; if depth > 0 { depth -= 1 } // )
        case 0x5B: symbol = .lbracket; depth += 1 // [
        case 0x5D: symbol = .rbracket; if depth > 0 { depth -= 1 } // ]
        case 0x7B: symbol = .lbrace // {
        case 0x7D: symbol = .rbrace // }
        case 0x2C: symbol = .comma // ,
        case 0x2E: symbol = .dot // .
        case 0x7C: symbol = .pipe // |
        case 0x3A: symbol = .colon // :
        case 0x3B: symbol = .semicolon // ;
        case 0x2B: symbol = .plus // +
        case 0x2D: symbol = .minus // -
        case 0x2A: symbol = .star // *
        case 0x2F: symbol = .slash // /
        case 0x3D: // =, and `==` is accepted as `=` (people coming from C-like languages write it)
            symbol = .eq
            if next == 0x3D { length = 2 }
        case 0x3C: // <, <=, and SQL's <> for !=
            if next == 0x3D { symbol = .le; length = 2 }
            else if next == 0x3E { symbol = .ne; length = 2 }
            else { symbol = .lt }
        case 0x3E: // >, >=
            if next == 0x3D { symbol = .ge; length = 2 } else { symbol = .gt }
        case 0x21: // !=; a lone ! is an error
            if next == 0x3D { symbol = .ne; length = 2; break }
            pos += 1
            error("unknown operator '!'; write 'not' to negate or '!=' for not equal", s, pos)
            return
        case 0x3F: // ??; a lone ? is an error
            if next == 0x3F { symbol = .coalesce; length = 2; break }
            pos += 1
            error("unknown character '?'; write '??' for a default value", s, pos)
            return
        case 0x25: // %
            pos += 1
            error("unknown character '%'; a percentage is written directly after its number, as in 85%", s, pos)
            return
        default:
            pos += 1
            error("unknown character \(Lexer.describe(UInt32(c)))", s, pos)
            return
        }
        pos += length
        add(.symbol(symbol), s, pos)
    }

    // MARK: - Non-ASCII text

    /// A non-ASCII character outside a string: an unknown character, or a run of invalid UTF-8 bytes.
    mutating func nonASCII() {
        let s = pos
        if let decoded = scalar(at: pos) {
            let scalar = decoded.value
            pos += decoded.length
            if scalar == 0x201C || scalar == 0x2018 || scalar == 0x201E, let e = typographicQuoteEnd(from: pos) {
                // A text pasted from a document: one error for the whole text, with the fix.
                let inner = text(pos, e.inner)
                pos = e.end
                return error("typographic quotes around a text", s, pos, help: "use straight quotes: \"\(inner)\"")
            }
            var message = "unknown character \(Lexer.describe(scalar))"
            switch scalar {
            case 0x201C, 0x201D, 0x2018, 0x2019: message += "; use straight quotes \" or '"
            case 0xA0, 0x2000...0x200B, 0x202F, 0x3000: message += " (a non-breaking or special space)"
            default: break
            }
            error(message, s, pos)
        } else {
            pos += 1
            while pos < end && bytes[pos] >= 0x80 && scalar(at: pos) == nil { pos += 1 }
            error(Lexer.invalidByte(bytes[s]), s, pos)
        }
    }

    /// After an opening typographic quote: where its closing quote (” ’ or “) starts and ends on the
    /// same line, or nil.
    mutating func typographicQuoteEnd(from i: Int) -> (inner: Int, end: Int)? {
        var j = i
        while j < end, bytes[j] != 0x0A {
            if let d = scalar(at: j) {
                if d.value == 0x201D || d.value == 0x2019 || d.value == 0x201C { return (j, j + d.length) }
                j += d.length
            } else {
                return nil
            }
        }
        return nil
    }

    /// The Unicode scalar encoded at `i` and its length in bytes, or `nil` for invalid UTF-8
    /// (stray continuation byte, truncated sequence, overlong form, surrogate or value past U+10FFFF).
    mutating func scalar(at i: Int) -> Scalar? {
        let b0 = bytes[i]
        if b0 < 0x80 { return Scalar(value: UInt32(b0), length: 1) }
        let length: Int
        let minimum: UInt32
        var v: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; minimum = 0x80; v = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; v = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; v = UInt32(b0 & 0x07)
        default: return nil
        }
        guard end - i >= length else { return nil }
        var k = 1
        while k < length {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(c & 0x3F)
            k += 1
        }
        guard v >= minimum, v <= 0x10FFFF, v < 0xD800 || v > 0xDFFF else { return nil }
        return Scalar(value: v, length: length)
    }

    /// A decoded Unicode scalar and the number of bytes it took (a struct, not a tuple: tuples cost
    /// a runtime metadata lookup per call in debug builds).
    struct Scalar {
        var value: UInt32
        var length: Int
    }

    static func invalidByte(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "invalid UTF-8 byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }

    /// `'@'` for a printable character, `U+0007` for a control character.
    static func describe(_ scalar: UInt32) -> String {
        guard scalar >= 0x20, scalar != 0x7F, !(0x80...0x9F).contains(scalar), let u = Unicode.Scalar(scalar) else {
            let hex = String(scalar, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'" + String(Character(u)) + "'"
    }

    // MARK: - Byte helpers

    /// The text of the bytes `[s, e)` (invalid UTF-8 repaired). Copies byte by byte into the new
    /// string: unlike `String(decoding:as:)` this is not a generic call, which is slow in debug builds.
    mutating func text(_ s: Int, _ e: Int) -> String {
        let source = bytes
        let count = e - s
        return String(unsafeUninitializedCapacity: count) { out in
            var k = 0
            while k < count && k < out.count {
                out[k] = source[s + k]
                k += 1
            }
            return k
        }
    }

    /// The value of the ASCII digits `[s, e)` (at most 9 of them), or `nil` if any is not a digit.
    mutating func decimalValue(_ s: Int, _ e: Int) -> Int? {
        guard e - s <= 9 else { return nil }
        var v = 0
        var i = s
        while i < e {
            let b = bytes[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
            i += 1
        }
        return v
    }

    /// The end of the run of word bytes (letters, digits, `_`) starting at `i`.
    mutating func wordEnd(from i: Int) -> Int {
        var j = i
        while j < end {
            let b = bytes[j]
            guard (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F else { break }
            j += 1
        }
        return j
    }

    /// The span of `[s, e)` in the file. Offsets past `Int32.max` are clamped as `Span` does; the
    /// conversion is written out because `Int32(clamping:)` is a slow generic call in debug builds.
    mutating func span(_ s: Int, _ e: Int) -> Span {
        let limit = Int(Int32.max)
        return Span(file: fileID, start: Int32(truncatingIfNeeded: s < limit ? s : limit),
                    end: Int32(truncatingIfNeeded: e < limit ? e : limit))
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// ASCII letters, digits and `_`.
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}
