// Where the interactive prompt gets its lines: libedit on a terminal, a scripted list in tests.

/// What one read at the prompt produced.
public enum LineInput: Equatable, Sendable {
    /// A line, without its line break (a recalled multi-line history entry keeps its inner breaks).
    case line(String)
    /// Ctrl-C at the prompt: the line (and any pending input) is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case endOfInput
}

/// A source of lines for the REPL, with a history of complete inputs.
public protocol LineReader: AnyObject {
    /// Shows `prompt` (with `right` at the right edge, if the reader can) and reads one line.
    /// Invisible parts of the prompts (colour escapes) are wrapped in `Prompt.invisibleMark`.
    func readLine(prompt: String, right: String) -> LineInput
    /// Called with the text before the cursor when the user presses Tab (see `Completer`).
    var completer: ((String) -> CompletionResult)? { get set }
    /// Records one complete input (possibly several lines) as one history entry.
    func remember(_ entry: String)
    /// The history, oldest first.
    var historyEntries: [String] { get }
    /// Where the history is saved, or nil when it is not saved.
    var historyPath: String? { get }
}

/// Prompt text helpers.
public enum Prompt {
    /// Delimits bytes that take no room on the screen (escape sequences), for libedit's `EL_PROMPT_ESC`.
    public static let invisibleMark: Character = "\u{1}"

    /// `text` in an SGR colour (`"1;36"`), the escapes marked invisible; plain when `color` is off.
    public static func styled(_ text: String, _ sgr: String, color: Bool) -> String {
        guard color, !text.isEmpty else { return text }
        let m = String(invisibleMark)
        return m + "\u{1B}[" + sgr + "m" + m + text + m + "\u{1B}[0m" + m
    }

    /// The prompt without its invisible marks (what a reader that cannot hide escapes shows).
    public static func plain(_ text: String) -> String {
        var out = ""
        var hidden = false
        for ch in text {
            if ch == invisibleMark { hidden.toggle(); continue }
            if !hidden { out.append(ch) }
        }
        return out
    }
}

/// A reader over a fixed list of inputs (tests, and any host that feeds lines itself).
public final class ScriptedLineReader: LineReader {
    private var inputs: [LineInput]
    /// The prompts shown, in order.
    public private(set) var prompts: [String] = []
    public var completer: ((String) -> CompletionResult)?
    public private(set) var historyEntries: [String] = []
    public var historyPath: String? { nil }

    public init(_ inputs: [LineInput]) { self.inputs = inputs }

    public convenience init(lines: [String]) { self.init(lines.map { .line($0) }) }

    public func readLine(prompt: String, right: String) -> LineInput {
        prompts.append(Prompt.plain(prompt))
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    public func remember(_ entry: String) {
        if historyEntries.last != entry { historyEntries.append(entry) }
    }
}
