// The root command: `pmo -c 'QUERY'`, `pmo SCRIPT`, standard input, and the subcommands.
import ArgumentParser
import Foundation
import PMORender
import PMOSyntax

@main
struct PMOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pmo",
        abstract: "A query and rule language for project management offices.",
        usage: """
        pmo -c 'QUERY' [--data DIR] [--as-of DATE] [--format FORMAT]
               [--output FILE]
        pmo query 'QUERY' [options]
        pmo run SCRIPT... [options]
        pmo repl [options]          (the interactive prompt)
        pmo [SCRIPT...] [options]   (as `pmo run`; with nothing: the prompt on a
                                     terminal, else standard input as a script)
        """,
        discussion: prose("""
        Queries the workspace --workspace FILE (or the CSV folder --data DIR), else $PMO_WORKSPACE,
        else $PMO_DATA, else ./portfolio.db, else the bundled demo portfolio (read-only).
        `pmo init`, `pmo import`, `pmo export` and `pmo generate` manage workspaces and data.
        `today` is the --as-of date, else the portfolio's status date, else today's date (UTC).
        Results go to standard output; diagnostics go to standard error as file:line:col.

        EXAMPLES:
          pmo -c 'projects where status = red | sort spi | take 5'
          pmo -c 'count(projects)' --format json
          pmo run report.pmo --output report.html
          echo 'count(projects where status = red)' | pmo

        \(exitStatusHelp)
        """),
        version: "0.1.0",
        subcommands: [QueryCommand.self, RunCommand.self, CheckCommand.self, TestCommand.self, WaiveCommand.self, WaiversCommand.self, ReplCommand.self, InitCommand.self, ImportCommand.self,
                      ExportCommand.self, GenerateCommand.self, FmtCommand.self,
                      RunsCommand.self, CrontabCommand.self, DueCommand.self, JournalCommand.self]
    )

    @Option(name: [.customShort("c"), .customLong("command")],
            help: ArgumentHelp("Run one statement (or several, separated by new lines) and exit.", valueName: "query"))
    var command: String?

    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        if let command {
            try Host.perform(common) { host throws(HostFailure) in
                try host.runCommandText(command)
            }
        } else {
            // The interactive prompt on a terminal; otherwise standard input is a script.
            try ReplCommand.start(common)
        }
    }

    /// Parses the command line and runs; a bad command line is exit 64, `--help` and `--version` 0,
    /// and failures exit with the status they carry.
    static func main() {
        let parsed: ParsableCommand
        if let message = misspeltCommand(Array(CommandLine.arguments.dropFirst())) {
            Terminal.writeErr(message)
            exit(withError: ExitCode.badCommandLine)
        }
        do {
            parsed = try parseAsRoot(scriptArguments(Array(CommandLine.arguments.dropFirst())))
        } catch {
            if exitCode(for: error).isSuccess { exit(withError: error) }
            var text = fullMessage(for: error)
            if !text.hasSuffix("\n") { text += "\n" }
            Terminal.writeErr(text)
            exit(withError: ExitCode.badCommandLine)
        }
        var command = parsed
        do {
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code.isSuccess ? nil : code)
        } catch {
            if exitCode(for: error).isSuccess { exit(withError: error) }
            Terminal.writeErr("pmo: error: \(error)\n")
            exit(withError: ExitCode.runtimeFailure)
        }
        exit(withError: nil)
    }

    /// The subcommands' names (and `help`).
    static var commandNames: [String] { configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"] }

    /// An error for `pmo chek rules` (a misspelt command that is not a file either) and for
    /// `pmo help nosuch`; nil when the command line names a command or a file.
    static func misspeltCommand(_ args: [String]) -> String? {
        guard let first = args.first, !first.hasPrefix("-") else { return nil }
        let names = commandNames
        if first == "help", args.count > 1, !args[1].hasPrefix("-"), !names.contains(args[1]) {
            let hint = Suggest.closest(to: args[1], in: names).map { "; did you mean '\($0)'?" } ?? ""
            return "pmo: error: no help on '\(args[1])': it is not a command\(hint) (pmo --help lists them)\n"
        }
        guard !names.contains(first), !FileManager.default.fileExists(atPath: first),
              let near = Suggest.closest(to: first, in: names) else { return nil }
        return "pmo: error: unknown command '\(first)' (and no script file of that name); did you mean 'pmo \(near)'?\n"
    }

    /// `pmo SCRIPT...` means `pmo run SCRIPT...`, so a script starting `#!/usr/bin/env pmo` runs as a program.
    static func scriptArguments(_ args: [String]) -> [String] {
        guard let first = args.first, !first.hasPrefix("-") || first == "-" else { return args }
        let names = Set(commandNames)
        return names.contains(first) ? args : ["run"] + args
    }
}
