// `pmo run SCRIPT...`: run scripts in order in one session (`-` reads standard input).
import ArgumentParser
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scripts in order, in one session; `-` reads standard input.",
        discussion: prose("""
        Definitions made by one script (let, def) are visible to the scripts after it.
        `use "path"` looks beside the script first, then in the current directory.

        Exit status: 0 when no finding of the scripts' `check` statements reaches --fail-on \
        (default high); 1 when one does (a violation, or with --fail-on-unknown an unknown too); \
        65 for errors in the scripts; 70 when a run fails; 75 when another run of the same \
        scripts holds the lock.
        """)
    )

    @Argument(help: ArgumentHelp("Script files to run (`-` for standard input).", valueName: "script"))
    var scripts: [String] = []

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 when a finding of a `check` reaches this severity (info, low, medium, high, critical, never).",
        valueName: "severity"))
    var failOn: FailOn = .high

    @Flag(name: .customLong("fail-on-unknown"), help: "Count unknown outcomes (missing data) toward --fail-on too.")
    var failOnUnknown = false

    @OptionGroup var cron: CronOptions

    func validate() throws {
        if scripts.isEmpty { throw ValidationError("missing the script to run, as in: pmo run report.pmo") }
        if scripts.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    mutating func run() throws {
        try RunCommand.runScripts(scripts, common, cron, failOn: FindingThreshold(failOn, unknown: failOnUnknown))
    }

    /// Reads every script first (a missing one is exit 66 before anything runs), then runs them in order.
    /// Two runs of the same scripts on the same portfolio never overlap (see `CronRun`).
    static func runScripts(_ paths: [String], _ common: CommonOptions, _ cron: CronOptions = CronOptions(),
                           failOn: FindingThreshold = FindingThreshold(.high, unknown: false)) throws(ExitCode) {
        var loaded: [LoadedScript] = []
        for path in paths {
            if path == "-" {
                loaded.append(LoadedScript(name: "<stdin>", bytes: Terminal.readStandardInput(), base: nil))
                continue
            }
            if PortfolioSource.isDirectory(path) {
                Terminal.writeErr("pmo: error: cannot read script '\(path)': it is a directory\n")
                throw ExitCode.missingInput
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
                Terminal.writeErr("pmo: error: cannot read script '\(path)': \(reason)\n")
                throw ExitCode.missingInput
            }
            let base = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 }
            loaded.append(LoadedScript(name: path, bytes: Array(data), base: base))
        }
        let scripts = loaded
        try CronRun.perform(scripts, common, cron) { host throws(HostFailure) in
            for script in scripts {
                try host.run(name: script.name, bytes: script.bytes, baseDirectory: script.base)
            }
            if failOn.isReached(by: host.findings) { throw HostFailure(ExitCode(1), verbatim: nil) }
        }
    }
}
