// Runs a pmo script against the demo portfolio and checks the `# expect:` / `# error` comments in it.
import Foundation
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio

/// Finds the repository and loads the demo portfolio once.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let demo: PortfolioStore? = try? PortfolioLoader.load(directory: root.appendingPathComponent("examples/demo").path)
}

/// What a script says it should do, read from its comments.
struct Expectations {
    /// `# expect: text` lines, in order: the normalized output lines.
    var output: [String] = []
    /// `# error L:C: message`: the script must fail the check with these diagnostics.
    var errors: [String] = []
    /// `# runtime error: message`.
    var runtimeError: String?

    init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let hash = line.range(of: "# ") else { continue }
            let comment = line[hash.upperBound...]
            if comment.hasPrefix("expect: ") { output.append(Expectations.normalize(String(comment.dropFirst(8)))) }
            else if comment == "expect:" { output.append("") }
            else if comment.hasPrefix("error ") { errors.append(String(comment.dropFirst(6))) }
            else if comment.hasPrefix("runtime error: ") { runtimeError = String(comment.dropFirst(15)) }
        }
    }

    /// Drops table borders and collapses spaces, so expectations do not depend on column widths.
    static func normalize(_ s: String) -> String {
        let borders = Set("│┌┐└┘├┤┬┴┼─")
        let stripped = String(s.map { borders.contains($0) ? " " : $0 })
        return stripped.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

/// The result of running one script.
struct ScriptResult {
    var lines: [String] = []
    var errors: [String] = []
    var runtimeError: String?
}

enum ScriptRunner {
    /// Checks and runs `text` (named `name`, a path under the repository) against the demo portfolio.
    static func run(name: String, text: String) -> ScriptResult {
        var result = ScriptResult()
        guard let store = Repo.demo else { result.errors = ["the demo portfolio did not load"]; return result }
        let sources = SourceMap()
        let asOf = store.statusDate ?? Day(raw: 0)
        let session = Session(store: store, sources: sources, options: EngineOptions(asOf: asOf), readFile: { path in
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : Repo.root.appendingPathComponent(path)
            return (try? Data(contentsOf: url)).map { [UInt8]($0) }
        })
        let file = sources.add(name: name, text: text)
        let (compiled, diags) = session.compile(file)
        for d in diags {
            let loc = sources.file(d.span.file)?.location(of: Int(d.span.start)) ?? (line: 0, column: 0)
            result.errors.append("\(loc.line):\(loc.column): \(d.message)")
        }
        guard let compiled else { return result }
        var outputs: [Output] = []
        do { try session.run(compiled) { outputs.append($0) } } catch { result.runtimeError = error.message }
        let renderer = Renderer(format: .table, color: false, width: nil)
        for o in outputs {
            if case .export = o { continue }
            for line in renderer.render(o).split(separator: "\n", omittingEmptySubsequences: false) {
                let n = Expectations.normalize(String(line))
                if !n.isEmpty { result.lines.append(n) }
            }
        }
        return result
    }
}
