// `pmo generate`: a deterministic synthetic portfolio as CSV files, for tests and benchmarks.
import ArgumentParser
import Foundation
import Portfolio

extension GeneratorSize: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic portfolio as CSV files (the same seed gives the same bytes).",
        usage: "pmo generate --size tiny|medium|large [--seed N] --out DIR [--quiet]",
        discussion: prose("""
        Sizes: tiny (8 projects), medium (100 projects, 250,000 timesheet rows) and large (5,000
        projects, 100,000 milestones, 10,000 resources, about 4,000,000 timesheet rows). The files
        are in the import format: query them with --data DIR or load them with pmo import DIR.
          pmo generate --size medium --seed 7 --out /tmp/medium
        """)
    )

    @Option(name: .long, help: ArgumentHelp("tiny, medium or large.", valueName: "size"))
    var size: GeneratorSize

    @Option(name: .long, help: ArgumentHelp("The random seed (a whole number).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("The directory to write (created if missing; its set files are replaced).", valueName: "dir"))
    var out: String

    /// `--quiet` (read with the options queries take).
    @OptionGroup(title: "Common options (--quiet applies here)") var common: CommonOptions

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out needs a directory") }
    }

    mutating func run() throws {
        let size = self.size, seed = self.seed, out = self.out, quiet = common.quiet
        try exitOnFailure { () throws(HostFailure) in
            let started = Date()
            let counts: [String: Int]
            do throws(GeneratorError) {
                counts = try PortfolioGenerator.generate(size: size, seed: seed, into: out)
            } catch {
                throw HostFailure(.cannotWrite, error.message)
            }
            if !quiet {
                let rows = counts.filter { $0.key != "settings" }.values.reduce(0, +)
                let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
                Terminal.writeErr("pmo: wrote a \(size.rawValue) portfolio (seed \(seed)) to '\(out)': \(rows) rows in \(seconds) s\n")
            }
        }
    }
}
