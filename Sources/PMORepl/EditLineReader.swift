// The terminal line reader: the system libedit with emacs keys, Ctrl-R search, history and Tab completion.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CEditShim

/// Reads lines with libedit. Only for a terminal on both standard input and output; the prompt
/// callbacks and the Tab command find this object through libedit's client data.
///
/// Keys: libedit's emacs map (arrows, ^A ^E ^K ^U ^W, M-b M-f...), ^R incremental search back
/// through the history, Tab completion; `~/.editrc` may add bindings. Ctrl-C drops the line
/// (libedit keeps the terminal sane with `EL_SIGNAL`), Ctrl-D on an empty line ends the input.
public final class EditLineReader: LineReader {
    private let el: OpaquePointer
    private let history: HistoryStore
    private var promptBuffer: UnsafeMutablePointer<CChar>
    private var rightBuffer: UnsafeMutablePointer<CChar>
    private var closed = false
    public var completer: ((String) -> CompletionResult)?

    /// Sets the locale for UTF-8 keys and opens libedit on the standard streams; nil when it cannot.
    public init?(history: HistoryStore) {
        _ = pmo_setlocale_utf8()
        guard let el = pmo_el_init("pmo"), let p = strdup(""), let r = strdup("") else { return nil }
        self.el = el
        self.history = history
        promptBuffer = p
        rightBuffer = r
        configure()
    }

    deinit {
        close()
        free(promptBuffer)
        free(rightBuffer)
    }

    /// Gives the terminal back (libedit restores its modes). Reading after this ends the input.
    public func close() {
        if closed { return }
        closed = true
        el_end(el)
    }

    private func configure() {
        _ = pmo_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        _ = pmo_el_set_editor(el, "emacs")
        // libedit restores the terminal around signals (Ctrl-C, Ctrl-Z, resizes) while it reads.
        _ = pmo_el_set_signal(el, 1)
        _ = pmo_el_set_hist(el, history.handle)
        let mark = CChar(UInt8(ascii: "\u{1}"))
        _ = pmo_el_set_prompt(el, { el in EditLineReader.from(el)?.promptBuffer }, mark)
        _ = pmo_el_set_rprompt(el, { el in EditLineReader.from(el)?.rightBuffer }, mark)
        _ = pmo_el_addfn(el, "pmo-complete", "Complete the word before the cursor", { el, _ in
            guard let reader = EditLineReader.from(el) else { return UInt8(CC_ERROR) }
            return reader.complete()
        })
        _ = pmo_el_bind(el, "^I", "pmo-complete")
        // The emacs map has no incremental search; readline users expect it on ^R.
        _ = pmo_el_bind(el, "^R", "em-inc-search-prev")
        _ = pmo_el_source_user(el)
    }

    /// The reader behind an EditLine (its client data).
    private static func from(_ el: OpaquePointer?) -> EditLineReader? {
        guard let el, let raw = pmo_el_get_clientdata(el) else { return nil }
        return Unmanaged<EditLineReader>.fromOpaque(raw).takeUnretainedValue()
    }

    public func readLine(prompt: String, right: String) -> LineInput {
        if closed { return .endOfInput }
        replace(&promptBuffer, with: prompt)
        replace(&rightBuffer, with: right)
        pmo_sigint_clear()
        var count: Int32 = 0
        guard let p = el_gets(el, &count) else {
            let interrupted = pmo_sigint_pending() != 0 || (count < 0 && errno == EINTR)
            pmo_sigint_clear()
            if interrupted {
                Console.out("\n")
                return .interrupted
            }
            return .endOfInput
        }
        var line = String(cString: p)
        if line.hasSuffix("\n") { line.removeLast() }
        if line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    public func remember(_ entry: String) { history.add(entry) }
    public var historyEntries: [String] { history.entries }
    public var historyPath: String? { history.path }

    private func replace(_ buffer: inout UnsafeMutablePointer<CChar>, with text: String) {
        guard let copy = strdup(text) else { return }
        free(buffer)
        buffer = copy
    }

    // MARK: - Tab

    /// libedit's Tab command: completes the word before the cursor, extends a shared prefix, or
    /// lists the candidates in columns under the line.
    func complete() -> UInt8 {
        guard let completer, let info = el_line(el)?.pointee, let buffer = info.buffer else { return UInt8(CC_ERROR) }
        let length = max(0, info.cursor - buffer)
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
        let result = completer(before)
        switch result.action {
        case .none:
            return UInt8(CC_REFRESH_BEEP)
        case .insert(let text):
            if result.replaceCount > 0 { el_deletestr(el, Int32(result.replaceCount)) }
            if !text.isEmpty { _ = el_insertstr(el, text) }
            return UInt8(CC_REFRESH)
        case .list(let items):
            let width = TerminalSize.current.columns
            let rows = TerminalSize.current.rows
            Console.out("\n" + ColumnList.format(items, width: width, maxLines: max(4, rows - 3)))
            return UInt8(CC_REDISPLAY)
        }
    }
}
