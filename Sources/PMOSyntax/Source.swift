// Source files, byte spans and the line table that turns offsets into line and column.

/// A half-open byte range `[start, end)` in one source file.
public struct Span: Hashable, Sendable {
    /// The file's index in its `SourceMap`.
    public var file: Int32
    public var start: Int32
    public var end: Int32

    public init(file: Int32, start: Int32, end: Int32) {
        self.file = file; self.start = start; self.end = end
    }

    public init(file: Int32, start: Int, end: Int) {
        self.init(file: file, start: Int32(clamping: start), end: Int32(clamping: end))
    }

    /// A span covering both (in the same file).
    public func merged(with o: Span) -> Span {
        Span(file: file, start: min(start, o.start), end: max(end, o.end))
    }

    /// A zero-length span used for synthesized nodes.
    public static let unknown = Span(file: -1, start: Int32(0), end: Int32(0))
    public var length: Int { Int(end) - Int(start) }
}

/// One source text (a script file, a `-c` string, standard input) kept as UTF-8 bytes.
public final class SourceFile: @unchecked Sendable {
    public let id: Int32
    /// The name shown in diagnostics: a path, `<command line>` or `<stdin>`.
    public let name: String
    public let bytes: [UInt8]
    /// Byte offset of the start of each line.
    public let lineStarts: [Int]

    public init(id: Int32, name: String, bytes: [UInt8]) {
        self.id = id
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let off = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        let lineStart = lineStarts[lo]
        return (lo + 1, SourceFile.characterCount(bytes[lineStart..<off]) + 1)
    }

    /// The text of a 1-based line without its line break (invalid UTF-8 replaced by U+FFFD).
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let s = lineStarts[line - 1]
        var e = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if e > s && e - 1 < bytes.count && bytes[e - 1] == 13 { e -= 1 }
        return String(decoding: bytes[s..<max(s, e)], as: UTF8.self)
    }

    /// The text of a span.
    public func text(_ span: Span) -> String {
        let s = max(0, min(Int(span.start), bytes.count)), e = max(s, min(Int(span.end), bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    /// Counts characters as displayed: UTF-8 continuation bytes do not start a character.
    static func characterCount(_ b: ArraySlice<UInt8>) -> Int {
        var n = 0
        for x in b where x & 0xC0 != 0x80 { n += 1 }
        return n
    }
}

/// All source files of one run, so spans can name their file.
public final class SourceMap: @unchecked Sendable {
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Registers a source text and returns it.
    @discardableResult
    public func add(name: String, bytes: [UInt8]) -> SourceFile {
        let f = SourceFile(id: Int32(files.count), name: name, bytes: bytes)
        files.append(f)
        return f
    }

    public func add(name: String, text: String) -> SourceFile { add(name: name, bytes: Array(text.utf8)) }

    public func file(_ id: Int32) -> SourceFile? {
        id >= 0 && Int(id) < files.count ? files[Int(id)] : nil
    }
}
