// Sizes a script may have before the lexer sees it: a whole script, and one line (which bounds
// every token). A 200 MB token once took 96 s and 4 GB, was echoed whole to standard error and
// stored whole in the run ledger; now it fails at once, quoting a short prefix.
public enum ScriptLimits {
    /// The largest script, in bytes.
    public static let maxBytes = 8 << 20
    /// The longest line, in bytes (bounds every token, string and name).
    public static let maxLineBytes = 64 << 10
    /// How much of an oversized line is quoted.
    public static let quotedPrefix = 40

    /// Why `bytes` cannot be a script named `name`, or nil.
    public static func problem(_ bytes: [UInt8], name: String) -> String? {
        if bytes.count > maxBytes {
            return "\(name) is \(bytes.count) bytes; a script may be at most \(maxBytes) bytes (8 MB)"
        }
        var line = 1, start = 0
        return bytes.withUnsafeBufferPointer { b -> String? in
            for i in 0..<b.count where b[i] == 0x0A {
                if i - start > maxLineBytes { return long(b, start, i, line, name) }
                line += 1
                start = i + 1
            }
            return b.count - start > maxLineBytes ? long(b, start, b.count, line, name) : nil
        }
    }

    /// Why one input typed or pasted at the prompt (`name`, usually `<input>`) is too large, or nil:
    /// the same limits as a script, checked before the text is copied or parsed.
    public static func inputProblem(_ text: String, pendingBytes: Int = 0, name: String) -> String? {
        let n = text.utf8.count
        if n + pendingBytes > maxBytes {
            return "\(name) is \(n + pendingBytes) bytes; an input may be at most \(maxBytes) bytes (8 MB)"
        }
        if n <= maxLineBytes && !text.utf8.contains(0x0A) { return nil }
        return problem(Array(text.utf8), name: name)
    }

    private static func long(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ line: Int, _ name: String) -> String {
        var prefix = String(decoding: b[start..<min(end, start + quotedPrefix)], as: UTF8.self)
        prefix = String(prefix.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) })
        return "\(name):\(line): line \(line) is \(end - start) bytes long (it starts '\(prefix)...'); "
            + "a line may be at most \(maxLineBytes) bytes: is this a script?"
    }
}
