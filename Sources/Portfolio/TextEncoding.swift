// Input text encodings: every file pmo reads is UTF-8, or says otherwise. A UTF-8 byte-order mark is
// dropped, a UTF-16 one (either byte order) transcodes the file, and bytes that are not UTF-8 are an
// error naming the line and column — never a silent U+FFFD. `--encoding windows-1252|latin1|utf-16`
// names the encoding of a file saved by Excel or another Windows program.

/// The encoding of an input file.
public enum InputEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case latin1
    case utf16 = "utf-16"

    /// The encoding named on the command line (`cp1252`, `iso-8859-1`, `utf16le` are accepted too).
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252", "win-1252", "windows1252": self = .windows1252
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .latin1
        case "utf-16", "utf16", "utf-16le", "utf16le", "utf-16be", "utf16be": self = .utf16
        default: return nil
        }
    }
}

/// Where and why a file's bytes are not text in its encoding (1-based line and column).
public struct EncodingError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
}

public enum TextDecoding {
    /// The file's text as UTF-8 bytes without a byte-order mark. A UTF-16 byte-order mark decides by
    /// itself; otherwise `encoding` (UTF-8 when nil) does.
    public static func utf8(_ bytes: [UInt8], encoding: InputEncoding? = nil) throws(EncodingError) -> [UInt8] {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return try utf16(bytes, bigEndian: bytes[0] == 0xFE, from: 2)
        }
        switch encoding ?? .utf8 {
        case .utf8:
            let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            try validate(bytes, from: start)
            return start == 0 ? bytes : Array(bytes[start...])
        case .utf16:
            // No byte-order mark: little-endian (what Windows writes) unless the text starts with a zero byte.
            return try utf16(bytes, bigEndian: bytes.first == 0, from: 0)
        case .latin1, .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            let windows = encoding == .windows1252
            for b in bytes {
                if b < 0x80 { out.append(b); continue }
                let scalar: UInt32 = windows && b < 0xA0 ? cp1252[Int(b - 0x80)] : UInt32(b)
                append(scalar, to: &out)
            }
            return out
        }
    }

    /// Windows-1252's 0x80...0x9F (undefined bytes map to the C1 control of the same number, as Windows does).
    static let cp1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func append(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800: out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Throws at the first byte that does not continue a well-formed UTF-8 sequence.
    public static func validate(_ bytes: [UInt8], from start: Int = 0) throws(EncodingError) {
        try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(EncodingError) in try validate(b, from: start) }
    }

    /// Throws at the first byte that does not continue a well-formed UTF-8 sequence.
    public static func validate(_ b: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws(EncodingError) {
        var i = start
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var len = 0, low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; high = 0x9F
            case 0xF0: len = 4; low = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; high = 0x8F
            default: throw invalid(b, at: i, start: start)
            }
            guard i + len <= n, b[i + 1] >= low, b[i + 1] <= high else { throw invalid(b, at: i, start: start) }
            var k = 2
            while k < len {
                guard b[i + k] >= 0x80 && b[i + k] <= 0xBF else { throw invalid(b, at: i, start: start) }
                k += 1
            }
            i += len
        }
    }

    static func invalid(_ b: UnsafeBufferPointer<UInt8>, at i: Int, start: Int) -> EncodingError {
        var line = 1, column = 1
        var j = start
        while j < i {
            // Line ends as the CSV reader counts them: LF, CRLF, and a lone CR.
            if b[j] == 10 || (b[j] == 13 && (j + 1 >= b.count || b[j + 1] != 10)) { line += 1; column = 1 }
            else if b[j] != 13 && b[j] & 0xC0 != 0x80 { column += 1 }
            j += 1
        }
        var shown = ""
        for k in i..<min(b.count, i + 4) {
            if k > i && b[k] & 0xC0 != 0x80 { break }
            let hex = String(b[k], radix: 16, uppercase: true)
            shown += (shown.isEmpty ? "" : " ") + "0x" + (hex.count == 1 ? "0" + hex : hex)
        }
        return EncodingError(line: line, column: column, message: "the file is not valid UTF-8: byte \(shown) here is not text "
            + "(a file saved by Excel or another Windows program is often windows-1252: pass --encoding windows-1252, latin1 or utf-16)")
    }

    static func utf16(_ b: [UInt8], bigEndian: Bool, from start: Int) throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var i = start, line = 1, column = 1
        func unit(_ k: Int) -> UInt32 { bigEndian ? UInt32(b[k]) << 8 | UInt32(b[k + 1]) : UInt32(b[k + 1]) << 8 | UInt32(b[k]) }
        func bad(_ m: String) -> EncodingError { EncodingError(line: line, column: column, message: "the file is not valid UTF-16: " + m) }
        while i < b.count {
            guard i + 1 < b.count else { throw bad("it ends in the middle of a character (an odd number of bytes)") }
            var v = unit(i)
            i += 2
            if v >= 0xD800 && v <= 0xDBFF {
                guard i + 1 < b.count else { throw bad("a high surrogate ends the file") }
                let w = unit(i)
                guard w >= 0xDC00 && w <= 0xDFFF else { throw bad("a high surrogate is not followed by a low one") }
                v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00)
                i += 2
            } else if v >= 0xDC00 && v <= 0xDFFF {
                throw bad("a low surrogate without a high one")
            }
            if v == 0xFEFF && out.isEmpty { continue }
            append(v, to: &out)
            if v == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return out
    }
}
