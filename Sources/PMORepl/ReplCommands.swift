// Carrying out the REPL's `.` commands.
import Foundation
import PMOBase
import PMORender
import PMORuntime
import Portfolio
import PMOSyntax

extension Repl {
    /// Runs a meta command line; false for `.quit`.
    func perform(_ line: String) -> Bool {
        switch MetaCommand.parse(line) {
        case .failure(let e):
            fail(e.message)
            return true
        case .success(let command):
            return perform(command)
        }
    }

    func perform(_ command: MetaCommand) -> Bool {
        let session = host.session
        switch command {
        case .quit:
            return false
        case .help(let topic):
            let text = topic.map { Help.topic($0, session: session) } ?? Help.overview()
            page(text)
        case .schema(nil):
            showTable(Help.setsTable(session.store))
        case .schema(let name?):
            guard let k = EntityKind(setName: name) ?? EntityKind(singular: name) else {
                let hint = Suggest.closest(to: name, in: EntityKind.allCases.map(\.setName)).map { "; did you mean '\($0)'?" } ?? ""
                fail("no entity set '\(name)'\(hint) (.schema alone lists them)")
                return true
            }
            settings.out(Help.setHeader(k, session.store))
            showTable(Help.schemaTable(k, userFields: session.userFields(of: k)))
        case .format(nil):
            note("results are shown as \(settings.format.rawValue) (.format table|csv|json|jsonl|md|html)")
        case .format(let f?):
            settings.format = f
            note("results are shown as \(f.rawValue)")
        case .headers(let on):
            if let on { settings.headers = on }
            note("headers are \(settings.headers ? "on" : "off")")
        case .output(let path, let once):
            if let path {
                let full = expanded(path)
                guard FileManager.default.createFile(atPath: full, contents: nil) || FileManager.default.isWritableFile(atPath: full) else {
                    fail("cannot write '\(path)'")
                    return true
                }
                output = (full, once)
                note(once ? "the next result goes to \(path)" : "results go to \(path) (.output alone: back to the screen)")
            } else {
                output = nil
                note("results are shown on the screen")
            }
        case .wrap(let on):
            if let on { settings.wrap = on }
            note("wrapping in table cells is \(settings.wrap ? "on" : "off")")
        case .expanded(let on):
            settings.expanded = on ?? !settings.expanded
            note("expanded display is \(settings.expanded ? "on" : "off")")
        case .timer(nil):
            note("the timer is \(timer ? "on" : "off")")
        case .timer(let on?):
            timer = on
            note("the timer is \(on ? "on" : "off")")
        case .asOf(nil):
            note("as of \(session.asOf)" + (session.asOf == settings.today ? " (today)" : ""))
        case .asOf(let choice?):
            switch choice {
            case .today: session.asOf = settings.today
            case .day(let d): session.asOf = d
            }
            note("as of \(session.asOf)" + (session.asOf == settings.today ? " (today)" : ""))
        case .gantt(let what):
            // A project's tasks, else the tasks the expression gives.
            let trimmed = what.trimmingCharacters(in: .whitespaces)
            let tasks = trimmed.lowercased().hasPrefix("project ") ? "(\(trimmed)).tasks" : trimmed
            execute("chart gantt(\(tasks))", name: "<.gantt>")
        case .run(let path):
            runScript(expanded(path))
        case .load(let path):
            loadDefinitions(expanded(path))
        case .open(let path):
            let dir = expanded(path)
            if let problem = host.open(dir) {
                fail(problem)
            } else {
                let s = host.session
                note("opened \(host.workspaceName): \(s.store.table(.project).count) projects, as of \(s.asOf); earlier definitions are gone")
            }
        case .history:
            showHistory()
        }
        return true
    }

    /// `.run FILE`: the whole script, in this session.
    func runScript(_ path: String) {
        guard let bytes = readScript(path) else { return }
        let base = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 }
        execute(String(decoding: bytes, as: UTF8.self), name: path, baseDirectory: base)
    }

    /// `.load FILE`: only its definitions, as `use` takes them.
    func loadDefinitions(_ path: String) {
        guard readScript(path) != nil else { return }
        var quoted = "'"
        for c in path {
            if c == "'" || c == "\\" { quoted.append("\\") }
            quoted.append(c)
        }
        quoted += "'"
        let before = Set(host.session.userNames)
        execute("use " + quoted, name: "<.load>")
        let added = host.session.userNames.filter { !before.contains($0) }.sorted()
        if !added.isEmpty { note("defined: " + added.joined(separator: ", ")) }
    }

    /// The bytes of a script, or nil after saying why it cannot be read.
    func readScript(_ path: String) -> [UInt8]? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            fail("cannot read '\(path)': no such file")
            return nil
        }
        if isDir.boolValue {
            fail("cannot read '\(path)': it is a folder")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read '\(path)': permission denied")
            return nil
        }
        return Array(data)
    }

    /// `~/x` is in the home folder.
    func expanded(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = settings.environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    func showHistory() {
        let entries = reader.historyEntries
        guard !entries.isEmpty else {
            note("no history yet")
            return
        }
        let width = String(entries.count).count
        var text = ""
        for (i, e) in entries.enumerated() {
            let number = String(i + 1)
            let pad = String(repeating: " ", count: width - number.count)
            let lines = e.split(separator: "\n", omittingEmptySubsequences: false)
            text += "  \(pad)\(number)  \(lines.first ?? "")\n"
            for l in lines.dropFirst() { text += "  " + String(repeating: " ", count: width) + "  \(l)\n" }
        }
        if let p = reader.historyPath { text += "(saved in \(p))\n" } else { text += "(this history is not saved: PMO_HISTORY is empty or there is no home folder)\n" }
        page(text)
    }

    /// A table for people (help, schema), always in table form.
    func showTable(_ t: ResultTable) {
        let size = TerminalSize.current
        page(Renderer(format: .table, color: settings.color, width: size.columns).render(t))
    }

    /// Text through the pager when it is taller than the screen.
    func page(_ text: String) {
        let size = TerminalSize.current
        if settings.paging && pager.wants(text, rows: size.rows) && pager.show(text) { return }
        settings.out(text)
    }

    func note(_ text: String) {
        settings.out(settings.color ? "\u{1B}[2m\(text)\u{1B}[0m\n" : text + "\n")
    }

    func fail(_ message: String) {
        settings.err((settings.color ? "\u{1B}[1;31merror\u{1B}[0m: " : "error: ") + message + "\n")
    }
}
