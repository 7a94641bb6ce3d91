// `pmo test FILES...`: run the `test` blocks of rule files and report expected versus actual.
import ArgumentParser
import Foundation
import PMOBase
import PMORuntime
import PMOSyntax

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the test blocks of rule files.",
        discussion: prose("""
        The files (a directory stands for its .pmo files, in name order) run in one session, so tests \
        see the rules and definitions of the files before them. Each test runs on its own small portfolio \
        built from its `given` records; every `expect` and `assert` that does not hold is printed with its \
        place, what was expected and what actually happened. --format junit reports JUnit XML (a test \
        case per test block) for CI systems.

        Exit status: 0 when every test passed, 1 when one failed, 65 for errors in the files.
        """)
    )

    @Argument(help: ArgumentHelp("Files or directories holding tests (`-` for standard input).", valueName: "files"))
    var files: [String] = []

    /// `--format junit` (a SARIF report is for findings, which tests do not have).
    var ciFormat: CIFormat? { common.format?.ci }

    @Flag(name: .long, help: "List every test, not only the failures.")
    var verbose = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("missing the files to test, as in: pmo test rules/") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
        if ciFormat == .sarif { throw ValidationError("pmo test reports as text or --format junit") }
    }

    mutating func run() throws {
        let common = self.common
        let scripts = try RuleFiles.load(files)
        let command = self
        try Host.perform(RuleFiles.hostOptions(common)) { host throws(HostFailure) in
            host.session.runsTests = true
            for script in scripts { try RuleFiles.run(script, in: host) }
            let results = host.session.testResults
            let failed = results.filter { !$0.passed }.count
            var text: String
            switch command.ciFormat {
            case .junit?, .sarif?: text = TestCommand.junit(results, host.sources)
            case nil:
                text = ""
                for r in results where command.verbose || !r.passed { text += r.report(host.sources) + "\n" }
                let summary = "\(results.count) test\(results.count == 1 ? "" : "s"), \(results.count - failed) passed, \(failed) failed"
                text += results.isEmpty ? "no tests found\n" : summary + "\n"
                if common.quiet && failed == 0 { text = "" }
            }
            try RuleFiles.write(text, common)
            if failed > 0 { throw HostFailure(ExitCode(1), verbatim: nil) }
        }
    }

    /// JUnit XML: one test case per test block, a `<failure>` listing what did not hold.
    static func junit(_ results: [TestResult], _ sources: SourceMap) -> String {
        var byFile: [(String, [TestResult])] = []
        for r in results {
            let name = sources.file(r.span.file)?.name ?? "<tests>"
            if let i = byFile.firstIndex(where: { $0.0 == name }) { byFile[i].1.append(r) } else { byFile.append((name, [r])) }
        }
        let failures = results.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pmo test\" tests=\"\(results.count)\" failures=\"\(failures)\">\n"
        for (file, list) in byFile {
            let f = list.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(Escape.xml(file))\" tests=\"\(list.count)\" failures=\"\(f)\">\n"
            for r in list {
                let line = sources.file(r.span.file)?.location(of: Int(r.span.start)).line ?? 0
                let attrs = "classname=\"\(Escape.xml(file))\" name=\"\(Escape.xml(r.name))\" file=\"\(Escape.xml(file))\" line=\"\(line)\""
                if r.passed {
                    out += "    <testcase \(attrs)/>\n"
                } else {
                    let first = r.failures.first.map { $0.statement } ?? "failed"
                    out += "    <testcase \(attrs)>\n      <failure message=\"\(Escape.xml(first))\">\(Escape.xml(r.report(sources)))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}
