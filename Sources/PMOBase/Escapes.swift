// Every escape pmo writes, in one place: JSON string literals, HTML text and attributes, XML 1.0
// (JUnit), CSV fields (RFC 4180). The writers of each format call these; nothing else escapes.
public enum Escape {
    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t` or `\u00XX`,
    /// U+2028 and U+2029 escaped (so the text is also valid JavaScript), everything else as UTF-8.
    public static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\\u" + hex4(u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Text safe in HTML element content and attribute values; control characters other than tab
    /// and line breaks (not allowed in HTML) become U+FFFD.
    public static func html(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Text for XML 1.0 attributes and content; line breaks and tabs as character references (kept in
    /// attributes); characters XML 1.0 cannot hold become U+FFFD.
    public static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// One CSV field, quoted when it holds a comma, a quote, a line break, or a leading or trailing
    /// space (kept by RFC 4180 readers, often trimmed by others); quotes doubled.
    public static func csv(_ s: String) -> String {
        var quote = false
        for u in s.unicodeScalars where u == "," || u == "\"" || u == "\n" || u == "\r" {
            quote = true
            break
        }
        if let f = s.unicodeScalars.first, let l = s.unicodeScalars.last, f == " " || l == " " { quote = true }
        if !quote { return s }
        var out = "\""
        for u in s.unicodeScalars {
            if u == "\"" { out += "\"\"" } else { out.unicodeScalars.append(u) }
        }
        return out + "\""
    }

    static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for shift in stride(from: 12, through: 0, by: -4) { s.append(digits[Int((v >> UInt32(shift)) & 0xF)]) }
        return s
    }
}
