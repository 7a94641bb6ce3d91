// `pmo run SCRIPT...`: run scripts in order in one session (`-` reads standard input).
import ArgumentParser
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scripts in order, in one session; `-` reads standard input.",
        discussion: """
        Definitions made by one script (let, def) are visible to the scripts after it.
        `use "path"` looks beside the script first, then in the current directory.
        """
    )

    @Argument(help: ArgumentHelp("Script files to run (`-` for standard input).", valueName: "script"))
    var scripts: [String] = []

    @OptionGroup var common: CommonOptions

    @OptionGroup var cron: CronOptions

    func validate() throws {
        if scripts.isEmpty { throw ValidationError("missing the script to run, as in: pmo run report.pmo") }
        if scripts.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    mutating func run() throws {
        try RunCommand.runScripts(scripts, common, cron)
    }

    /// Reads every script first (a missing one is exit 66 before anything runs), then runs them in order.
    /// Two runs of the same scripts on the same portfolio never overlap (see `CronRun`).
    static func runScripts(_ paths: [String], _ common: CommonOptions, _ cron: CronOptions = CronOptions()) throws(ExitCode) {
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
        }
    }
}
