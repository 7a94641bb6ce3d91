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
        discussion: """
        A waiver exempts one entity from one rule up to and including a date: its findings are listed \\
        as waived, with who approved it and why, and counted apart; after the date they are violations \\
        again ("waiver expired on DATE"). A `waive` statement in a rule file does the same for that file; \\
        for the same rule and entity, the file's waiver wins.
          pmo waive sponsor_required project PRJ-0042 --until 2026-12-31 --by CFO --because "sponsor being hired"
          pmo waive sponsor_required project PRJ-0042 --remove
          pmo waive --list
        """
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

    @Flag(name: .long, help: "Remove the waiver of RULE for ENTITY ID.")
    var remove = false

    @Flag(name: .long, help: "List the stored waivers.")
    var list = false

    @OptionGroup var common: CommonOptions

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
        do {
            let ws = try Workspace.open(path: source.directory, readOnly: list)
            if list {
                var text = ""
                for w in try ws.storedWaivers() {
                    text += "\(w.rule) \(w.entitySet) \(w.entity) until \(w.until) by \(w.approver) because \(w.reason)\n"
                }
                if text.isEmpty && !common.quiet { text = "no waivers\n" }
                _ = Terminal.writeOut(text)
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
            try ws.saveWaiver(StoredWaiver(rule: rule, entitySet: kind.setName, entity: id, until: until ?? "",
                                           approver: by ?? "", reason: because ?? ""))
            if !common.quiet {
                Terminal.writeErr("pmo: waived \(rule) for \(kind.singular) \(id) until \(until ?? "")\n")
            }
        } catch {
            Terminal.writeErr("pmo: error: \(error.message)\n")
            switch error.kind {
            case .missing: throw ExitCode.missingInput
            case .cannotWrite, .busy: throw ExitCode.cannotWrite
            default: throw ExitCode.badInput
            }
        }
    }
}
