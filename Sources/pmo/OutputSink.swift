// Where results go: standard output as they arrive, or a file written atomically at the end.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMORender
import PMORepl
import PMORuntime

/// Collects a run's outputs and writes them in one format. Streaming formats (table, csv, md) go
/// to standard output as they arrive (JSON Lines too); JSON and HTML are whole documents written at the end; an
/// `--output` file is always written whole, atomically, and only when the run succeeded.
final class OutputSink {
    var renderer: Renderer
    /// The `--output` path, or nil for standard output.
    let path: String?
    private var outputs: [Output] = []
    private var previous: Output?
    private(set) var stdoutFailed = false
    /// `--quiet`: outputs with nothing to act on are left out (see `Output.hasSomethingToActOn`).
    let quiet: Bool

    init(renderer: Renderer, path: String?, quiet: Bool = false) {
        self.renderer = renderer
        self.path = path
        self.quiet = quiet
    }

    var streams: Bool {
        guard path == nil else { return false }
        switch renderer.format {
        case .table, .csv, .md, .jsonl: return true
        case .json, .html: return false
        }
    }

    /// `--assets`: the folder charts are written to as SVG files (Markdown links to them).
    var assetsFolder: String?
    private var charts: [Chart] = []
    private var assetsFailure: HostFailure?

    /// Takes one output (not an export: the host writes those itself).
    func add(_ o: Output) {
        if case .export = o { return }
        if let folder = assetsFolder, case .chart(let c) = o {
            // With standard output the page streams, so its images are written as they come.
            if path == nil {
                do throws(HostFailure) { try ChartAssets.write([c], to: folder) } catch { if assetsFailure == nil { assetsFailure = error } }
            } else {
                charts.append(c)
            }
        }
        // A file is the product the user asked for: --quiet only keeps standard output silent.
        if quiet && path == nil {
            switch o {
            case .reportTitle:
                headings = [o]
                return
            case .section:
                headings.removeAll { if case .section = $0 { return true }; return false }
                headings.append(o)
                return
            default:
                if !o.hasSomethingToActOn { return }
                // The report and section headings of what is shown go first.
                let pending = headings
                headings = []
                for h in pending { emit(h) }
            }
        }
        emit(o)
    }

    /// Report headings held back by --quiet until something under them is shown.
    private var headings: [Output] = []

    /// `pmo -c` on a terminal: the text is held and, when taller than the screen, goes through the
    /// pager at the end, as at the prompt (nil: written as it arrives).
    var pager: Pager?
    private var held = ""

    private func emit(_ o: Output) {
        if streams {
            var text = ""
            if let p = previous { text += renderer.separator(after: p, before: o) }
            text += renderer.render(o)
            previous = o
            if pager != nil {
                held += text
                return
            }
            if !stdoutFailed && !Terminal.writeOut(text) { stdoutFailed = true }
        } else {
            outputs.append(o)
        }
    }

    /// Finishes the run. For standard output, writes the document of a whole-document format (even
    /// after a runtime error, so what was computed is not lost); for a file, writes it atomically
    /// when `succeeded`. Failing to write is exit 74.
    func finish(succeeded: Bool) throws(HostFailure) {
        if let failure = assetsFailure { throw failure }
        if let path {
            guard succeeded else { return }
            if let folder = assetsFolder { try ChartAssets.write(charts, to: folder) }
            try AtomicFile.write(Array(renderer.document(outputs).utf8), to: path)
            return
        }
        if let pager, !held.isEmpty {
            let text = held
            held = ""
            // The pager may quit before reading everything: writing then fails instead of killing pmo.
            let old = signal(SIGPIPE, SIG_IGN)
            let paged = pager.wants(text, rows: TerminalSize.current.rows) && pager.show(text)
            signal(SIGPIPE, old)
            if !paged && !Terminal.writeOut(text) { stdoutFailed = true }
        }
        if !streams, !stdoutFailed, !(outputs.isEmpty && (!succeeded || quiet)) {
            if !Terminal.writeOut(renderer.document(outputs)) { stdoutFailed = true }
        }
        if stdoutFailed {
            throw HostFailure(.cannotWrite, "cannot write to standard output: \(Terminal.errnoText)")
        }
    }
}

/// Writes a file so that a reader sees either the old file or the whole new one: a temporary file
/// in the same directory, flushed to disk, then renamed over the target.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(HostFailure) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty, name != ".", name != ".." else {
            throw HostFailure(.cannotWrite, "cannot write '\(path)': not a file name")
        }
        try OutputGuard.check(path)
        var template = Array((dir + "/." + name + ".pmo-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw HostFailure(.cannotWrite, "cannot write '\(path)': \(Terminal.errnoText)") }
        let tmp = template.withUnsafeBufferPointer { buf in
            String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        // mkstemp creates the file for its owner only; give it the usual permissions (0666 less the umask).
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        let wrote = Terminal.writeAll(fd, bytes)
        let reason = wrote ? "" : Terminal.errnoText
        let synced = wrote && fsync(fd) == 0
        let syncReason = synced ? "" : Terminal.errnoText
        close(fd)
        guard wrote, synced else {
            unlink(tmp)
            throw HostFailure(.cannotWrite, "cannot write '\(path)': \(wrote ? syncReason : reason)")
        }
        guard rename(tmp, path) == 0 else {
            let r = Terminal.errnoText
            unlink(tmp)
            throw HostFailure(.cannotWrite, "cannot write '\(path)': \(r)")
        }
    }
}
