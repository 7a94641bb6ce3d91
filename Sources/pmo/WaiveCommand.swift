// `pmo waive RULE ENTITY ID --until DATE --by WHO --because WHY`: a waiver stored in the workspace,
// applied by every `pmo check` on it (as `waive` statements in scripts are); --remove and --list.
import ArgumentParser
import Foundation
import PMOBase
import PMOSyntax
import Portfolio
import Workspace

struct WaiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waive",
        abstract: "Store a waiver in the workspace; pmo check applies it.",
        discussion: prose("""
        A waiver exempts one entity from one rule up to and including a date: its findings are listed \\
        as waived, with who approved it and why, and counted apart; after the date they are violations \\
        again ("waiver expired on DATE"). A `waive` statement in a rule file does the same for that file; \\
        for the same rule and entity, the file's waiver wins.
          pmo waive sponsor_required project PRJ-0042 --until 2026-12-31 --by CFO --because "sponsor being hired"
          pmo waive sponsor_required project PRJ-0042 --remove
          pmo waivers
        The waiver is checked before it is stored: the rule must be declared in the rule files given \
        with --rules (or be one pmo check has reported on this workspace), the entity must exist, the \
        date must not be before the status date (--as-of, else the workspace's status_date, else \
        today), and an existing waiver for the same rule and entity is replaced only with --replace.
        """)
    )

    @Argument(help: ArgumentHelp("The rule's id.", valueName: "rule"))
    var rule: String?

    @Argument(help: ArgumentHelp("The kind of entity (project, risk, ...).", valueName: "entity"))
    var entity: String?

    @Argument(help: ArgumentHelp("The entity's id.", valueName: "id"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("The last day the waiver applies (YYYY-MM-DD).", valueName: "date"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Who approved the waiver.", valueName: "who"))
    var by: String?

    @Option(name: .long, help: ArgumentHelp("Why the rule does not apply for now.", valueName: "reason"))
    var because: String?

    @Option(name: .long, help: ArgumentHelp("Rule files or directories declaring the rule (repeatable).", valueName: "path"))
    var rules: [String] = []

    @Flag(name: .long, help: "Replace the waiver already stored for RULE and ENTITY ID.")
    var replace = false

    @Flag(name: .long, help: "Remove the waiver of RULE for ENTITY ID.")
    var remove = false

    @Flag(name: .long, help: "List the stored waivers.")
    var list = false

    @OptionGroup var common: CommonOptions

    /// One waiver a line; "no waivers" unless quiet.
    static func listing(_ waivers: [StoredWaiver], quiet: Bool) -> String {
        var text = ""
        for w in waivers { text += "\(w.rule) \(w.entitySet) \(w.entity) until \(w.until) by \(w.approver) because \(w.reason)\n" }
        if text.isEmpty && !quiet { text = "no waivers\n" }
        return text
    }

    var kind: EntityKind? { entity.flatMap { EntityKind(singular: $0) ?? EntityKind(setName: $0) } }

    func validate() throws {
        if list { return }
        guard rule != nil, let entity, id != nil else {
            throw ValidationError("give the rule, the kind of entity and its id, as in: pmo waive sponsor_required project PRJ-0042 ...")
        }
        if kind == nil {
            let hint = Suggest.closest(to: entity, in: EntityKind.allCases.map(\.singular)).map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("unknown kind of entity '\(entity)'\(hint)")
        }
        if remove { return }
        guard let until else { throw ValidationError("missing --until DATE: a waiver always expires") }
        if Day(iso: Substring(until)) == nil { throw ValidationError("invalid --until date '\(until)': expected YYYY-MM-DD") }
        guard let by, !by.isEmpty else { throw ValidationError("missing --by WHO: who approved the waiver") }
        guard let because, !because.isEmpty else { throw ValidationError("missing --because WHY: the reason for the waiver") }
    }

    func run() throws {
        let source = try WaiveCommand.waiverWorkspace(common)
        let ruleScripts = list || remove ? [] : try RuleFiles.load(rules)
        do throws(WorkspaceError) {
            let ws = try Workspace.open(path: source.directory, readOnly: list)
            if list {
                _ = Terminal.writeOut(WaiveCommand.listing(try ws.storedWaivers(), quiet: common.quiet))
                return
            }
            guard let rule, let kind, let id else { return }
            if remove {
                let removed = try ws.removeWaiver(rule: rule, entitySet: kind.setName, entity: id)
                if !common.quiet {
                    Terminal.writeErr(removed ? "pmo: removed the waiver of \(rule) for \(kind.singular) \(id)\n"
                                              : "pmo: no waiver of \(rule) for \(kind.singular) \(id)\n")
                }
                return
            }
            if let problem = try WaiverChecks(ws: ws, rules: ruleScripts, asOf: common.asOfDay)
                .problem(rule: rule, kind: kind, id: id, until: until ?? "") {
                throw WorkspaceError(.usage, problem)
            }
            try ws.saveWaiver(StoredWaiver(rule: rule, entitySet: kind.setName, entity: id, until: until ?? "",
                                           approver: by ?? "", reason: because ?? ""), replace: replace)
            if !common.quiet {
                Terminal.writeErr("pmo: waived \(rule) for \(kind.singular) \(id) until \(until ?? "")\n")
            }
        } catch {
            Terminal.writeErr("pmo: error: \(error.message)\n")
            switch error.kind {
            case .usage: throw ExitCode.badCommandLine
            case .missing: throw ExitCode.missingInput
            case .cannotWrite, .busy: throw ExitCode.cannotWrite
            default: throw ExitCode.badInput
            }
        }
    }
}

/// `pmo waivers`: the stored waivers, one a line (what `pmo waive --list` prints).
struct WaiversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waivers",
        abstract: "List the waivers stored in the workspace.",
        discussion: "Each line: rule, entity set, entity, until DATE, by WHO, because WHY (pmo waive stores them)."
    )

    @OptionGroup var common: CommonOptions

    func run() throws {
        let source = try WaiveCommand.waiverWorkspace(common)
        do throws(WorkspaceError) {
            let ws = try Workspace.open(path: source.directory, readOnly: true)
            _ = Terminal.writeOut(WaiveCommand.listing(try ws.storedWaivers(), quiet: common.quiet))
        } catch {
            Terminal.writeErr("pmo: error: \(error.message)\n")
            throw error.kind == .missing ? ExitCode.missingInput : ExitCode.badInput
        }
    }
}

/// The checks of a waiver before it is stored: a known rule, an existing entity, an expiry not past.
struct WaiverChecks {
    let ws: Workspace
    let rules: [LoadedScript]
    let asOf: Day?

    /// What is wrong with the waiver, or nil.
    func problem(rule: String, kind: EntityKind, id: String, until: String) throws(WorkspaceError) -> String? {
        var known = try ws.rulesSeen()
        for script in rules {
            let file = SourceFile(id: 0, name: script.name, bytes: script.bytes)
            let (parsed, _) = Parser.parse(file)
            for st in parsed.statements { if case .rule(let r) = st.kind { known.insert(r.id.text) } }
        }
        if !known.contains(rule) {
            if known.isEmpty {
                return "cannot tell whether rule '\(rule)' exists: give the rule files that declare it with --rules PATH"
            }
            let hint = Suggest.closest(to: rule, in: known.sorted()).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown rule '\(rule)'\(hint) (rules come from --rules files and earlier pmo check runs on this workspace)"
        }
        let store = try ws.loadStore()
        if store.find(kind, key: id) == nil {
            let ids = store.table(kind).column("id").map { c in (0..<store.table(kind).count).compactMap { c.string($0) } } ?? []
            let hint = Suggest.closest(to: id, in: ids).map { "; did you mean '\($0)'?" } ?? ""
            return "no \(kind.singular) has the id '\(id)'\(hint)"
        }
        guard let day = Day(iso: Substring(until)) else { return "invalid --until date '\(until)': expected YYYY-MM-DD" }
        let reference = asOf ?? store.statusDate ?? Self.today()
        if day < reference {
            return "--until \(until) is already past (the status date is \(reference)): a waiver must expire on or after it"
        }
        return nil
    }

    /// Today's date (UTC), for a workspace without a status date.
    static func today() -> Day {
        let days = Int(Date().timeIntervalSince1970 / 86_400)
        return Day(raw: Int32(clamping: days))
    }
}

extension WaiveCommand {
    /// The workspace that holds the waivers (`pmo waive` and `pmo waivers`), or the reason there is none.
    static func waiverWorkspace(_ common: CommonOptions) throws -> PortfolioSource {
        let source: PortfolioSource
        do {
            source = try PortfolioSource.locate(data: common.data, workspace: common.workspace, environment: Terminal.environment)
        } catch {
            Terminal.writeErr((error.text ?? "pmo: error: no workspace") + "\n")
            throw error.code
        }
        guard source.isWorkspace else {
            Terminal.writeErr("pmo: error: waivers are stored in a workspace; give --workspace FILE (or create one with pmo init)\n")
            throw ExitCode.badCommandLine
        }
        return source
    }
}
