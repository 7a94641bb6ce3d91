// The REPL's own commands, all starting with `.` at the start of an input: the table, the parser
// and their completion.
import Foundation
import PMOBase
import PMORender
import PMOSyntax
import Portfolio

/// A parsed meta command.
public enum MetaCommand: Equatable, Sendable {
    case help(String?)
    case schema(String?)
    /// nil: show the current format.
    case format(Format?)
    /// nil: show whether the timer is on.
    case timer(Bool?)
    /// Tables as records, a field per line; nil (`\x`, `.expanded` alone) switches it over.
    case expanded(Bool?)
    /// Long text wraps within table cells; nil: show the setting.
    case wrap(Bool?)
    /// A header row in tables and CSV; nil: show the setting.
    case headers(Bool?)
    /// Results go to a file (appended) until `.output` alone; `once`: only the next result.
    case output(String?, once: Bool)
    /// nil: show the as-of date.
    case asOf(AsOfChoice?)
    case run(String)
    /// `.gantt project "PRJ-0001"` (or any set of tasks): a compact Gantt chart here.
    case gantt(String)
    case load(String)
    case open(String)
    case history
    case quit

    public enum AsOfChoice: Equatable, Sendable {
        /// The wall clock's date.
        case today
        case day(Day)
    }

    /// What a command's argument is (for completion and messages).
    enum Argument { case none, topic, set, format, onOff, date, file, directory, expression }

    struct Info {
        var name: String
        var usage: String
        var summary: String
        var argument: Argument
    }

    /// Every command, in the order `.help` lists them.
    static let table: [Info] = [
        Info(name: ".help", usage: ".help [TOPIC]", summary: "help on a stage, field, function, value or command", argument: .topic),
        Info(name: ".schema", usage: ".schema [SET]", summary: "the entity sets, or one set's fields with types and meanings", argument: .set),
        Info(name: ".format", usage: ".format table|csv|json|jsonl|md|html", summary: "how results are shown (alone: the current format)", argument: .format),
        Info(name: ".timer", usage: ".timer on|off", summary: "show how long each input takes", argument: .onOff),
        Info(name: ".headers", usage: ".headers on|off", summary: "the header row of tables and CSV", argument: .onOff),
        Info(name: ".output", usage: ".output [FILE]", summary: "send results to FILE (appended); alone: back to the screen", argument: .file),
        Info(name: ".once", usage: ".once FILE", summary: "send only the next result to FILE", argument: .file),
        Info(name: ".wrap", usage: ".wrap on|off", summary: "wrap long text within table cells instead of cutting it", argument: .onOff),
        Info(name: ".expanded", usage: ".expanded on|off", summary: "tables as records, a field per line (\\x switches it)", argument: .onOff),
        Info(name: ".asof", usage: ".asof DATE|today", summary: "the date `today` means in queries (alone: show it)", argument: .date),
        Info(name: ".gantt", usage: ".gantt project \"ID\" | TASKS", summary: "a compact Gantt chart of a project's tasks (critical path in red)", argument: .expression),
        Info(name: ".run", usage: ".run FILE", summary: "run a script here: results show, definitions stay", argument: .file),
        Info(name: ".load", usage: ".load FILE", summary: "take only the definitions (let, def) of a script", argument: .file),
        Info(name: ".open", usage: ".open PATH", summary: "query another workspace or CSV folder (clears definitions)", argument: .directory),
        Info(name: ".history", usage: ".history", summary: "list earlier inputs (Up and Ctrl-R recall them)", argument: .none),
        Info(name: ".quit", usage: ".quit", summary: "leave (Ctrl-D on an empty line does too)", argument: .none),
    ]

    /// Other spellings people type out of habit.
    static let aliases: [String: String] = [".exit": ".quit", ".q": ".quit", ".h": ".help", ".read": ".run", ".mode": ".format", ".tables": ".schema", ".header": ".headers"]

    public static var names: [String] { table.map(\.name) }

    static let formats: [Format] = [.table, .csv, .json, .jsonl, .md, .html]

    /// Whether an input is a meta command: a `.` followed by a letter at its start.
    public static func looksLikeCommand(_ input: String) -> Bool {
        let t = input.drop { $0 == " " || $0 == "\t" }
        if t.trimmingCharacters(in: .whitespaces) == "\\x" { return true }
        guard t.first == ".", let second = t.dropFirst().first else { return false }
        return second.isLetter
    }

    /// Parses one input line such as `.format csv` or `.run "my report.pmo"`.
    public static func parse(_ line: String) -> Result<MetaCommand, MetaCommandError> {
        let text = line.trimmingSpaces
        // psql's \x: switch the expanded record view.
        if text == "\\x" { return .success(.expanded(nil)) }
        let nameEnd = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
        let typed = String(text[..<nameEnd]).lowercased()
        let rest = String(text[nameEnd...].trimmingCharacters(in: .whitespaces))
        let name = aliases[typed] ?? typed
        guard let info = table.first(where: { $0.name == name }) else {
            let hint = Suggest.closest(to: typed, in: names + Array(aliases.keys)).map { " did you mean '\(aliases[$0] ?? $0)'?" } ?? ""
            return .failure(MetaCommandError("unknown command '\(typed)';\(hint) (.help lists the commands)"))
        }
        let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func noMoreThanOne() -> MetaCommandError? {
            words.count > 1 ? MetaCommandError("\(info.name) takes one argument: \(info.usage)") : nil
        }
        switch name {
        case ".help":
            if let e = noMoreThanOne() { return .failure(e) }
            return .success(.help(words.first))
        case ".schema":
            if let e = noMoreThanOne() { return .failure(e) }
            return .success(.schema(words.first))
        case ".format":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.format(nil)) }
            guard let f = formats.first(where: { $0.rawValue == w.lowercased() }) ?? (w.lowercased() == "markdown" ? .md : nil) else {
                return .failure(MetaCommandError("unknown format '\(w)': use table, csv, json, jsonl, md or html"))
            }
            return .success(.format(f))
        case ".timer":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.timer(nil)) }
            switch w.lowercased() {
            case "on": return .success(.timer(true))
            case "off": return .success(.timer(false))
            default: return .failure(MetaCommandError(".timer takes on or off, not '\(w)'"))
            }
        case ".headers":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.headers(nil)) }
            switch w.lowercased() {
            case "on": return .success(.headers(true))
            case "off": return .success(.headers(false))
            default: return .failure(MetaCommandError(".headers takes on or off, not '\(w)'"))
            }
        case ".output", ".once":
            let path = unquoted(rest)
            if path.isEmpty {
                return name == ".once" ? .failure(MetaCommandError(".once needs a file: .once FILE")) : .success(.output(nil, once: false))
            }
            return .success(.output(path, once: name == ".once"))
        case ".wrap":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.wrap(nil)) }
            switch w.lowercased() {
            case "on": return .success(.wrap(true))
            case "off": return .success(.wrap(false))
            default: return .failure(MetaCommandError(".wrap takes on or off, not '\(w)'"))
            }
        case ".expanded":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.expanded(nil)) }
            switch w.lowercased() {
            case "on": return .success(.expanded(true))
            case "off": return .success(.expanded(false))
            default: return .failure(MetaCommandError(".expanded takes on or off, not '\(w)'"))
            }
        case ".asof":
            if let e = noMoreThanOne() { return .failure(e) }
            guard let w = words.first else { return .success(.asOf(nil)) }
            if w.lowercased() == "today" { return .success(.asOf(.today)) }
            guard let d = Day(iso: Substring(w)) else {
                return .failure(MetaCommandError("'\(w)' is not a date: write .asof YYYY-MM-DD or .asof today"))
            }
            return .success(.asOf(.day(d)))
        case ".gantt":
            guard !rest.isEmpty else { return .failure(MetaCommandError(".gantt needs a project or tasks: \(info.usage)")) }
            return .success(.gantt(rest))
        case ".run", ".load", ".open":
            let path = unquoted(rest)
            guard !path.isEmpty else {
                let what = name == ".open" ? "a workspace file or a folder of CSV files" : "a script file"
                return .failure(MetaCommandError("\(name) needs \(what): \(info.usage)"))
            }
            return .success(name == ".run" ? .run(path) : name == ".load" ? .load(path) : .open(path))
        case ".history":
            return words.isEmpty ? .success(.history) : .failure(MetaCommandError(".history takes no argument"))
        default:
            return words.isEmpty ? .success(.quit) : .failure(MetaCommandError(".quit takes no argument"))
        }
    }

    /// A path as typed, without surrounding quotes.
    static func unquoted(_ s: String) -> String {
        guard s.count >= 2, let f = s.first, let l = s.last, f == l, f == "\"" || f == "'" else { return s }
        return String(s.dropFirst().dropLast())
    }
}

/// A meta command that cannot be parsed: the message says what to type instead.
public struct MetaCommandError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Completion after a `.`: command names, then each command's argument.
enum MetaCompletion {
    static func complete(_ line: String) -> CompletionResult {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            let word = String(text)
            return CompletionResult(word: word, candidates: Completer.matching(word, MetaCommand.names.map { CompletionCandidate($0) }))
        }
        let typed = String(text[..<space]).lowercased()
        let name = MetaCommand.aliases[typed] ?? typed
        guard let info = MetaCommand.table.first(where: { $0.name == name }) else { return .nothing }
        let argument = text[text.index(after: space)...].drop { $0 == " " || $0 == "\t" }
        let words: [String]
        switch info.argument {
        case .none, .expression: return .nothing
        case .topic: words = Help.topicNames
        case .set: words = EntityKind.allCases.map(\.setName)
        case .format: words = MetaCommand.formats.map(\.rawValue)
        case .onOff: words = ["on", "off"]
        case .date: words = ["today"]
        case .file, .directory:
            return paths(String(argument), directoriesOnly: info.argument == .directory)
        }
        let word = String(argument)
        return CompletionResult(word: word, candidates: Completer.matching(word, words.map { CompletionCandidate($0) }))
    }

    /// Files and folders starting with what was typed (`~/` is the home folder); folders end in `/`.
    /// For `.open`, folders and workspace files (`.db`) only.
    static func paths(_ typed: String, directoriesOnly: Bool) -> CompletionResult {
        let slash = typed.lastIndex(of: "/")
        let dirPart = slash.map { String(typed[...$0]) } ?? ""
        let prefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var dir = dirPart.isEmpty ? "." : dirPart
        if dir.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { dir = home + dir.dropFirst() }
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else { return .nothing }
        var candidates: [CompletionCandidate] = []
        for n in names where n.hasPrefix(prefix) && (prefix.hasPrefix(".") || !n.hasPrefix(".")) {
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: dir + "/" + n, isDirectory: &isDir)
            if directoriesOnly && !isDir.boolValue && !n.hasSuffix(".db") { continue }
            candidates.append(CompletionCandidate(dirPart + n, suffix: isDir.boolValue ? "/" : " "))
        }
        candidates.sort { $0.text < $1.text }
        return CompletionResult(word: typed, candidates: candidates)
    }
}
