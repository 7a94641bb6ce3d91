// A session over the demo portfolio, and a host for the REPL loop without a terminal.
import Foundation
import PMOBase
import PMORepl
import PMORuntime
import PMOSyntax
import Portfolio

enum DemoSession {
    /// The demo portfolio, loaded once.
    static let store: PortfolioStore? = try? PortfolioLoader.load(directory: REPLBinary.demo)

    /// A fresh session over the demo (definitions do not leak between tests).
    static func make() -> Session? {
        guard let store else { return nil }
        return Session(store: store, sources: SourceMap(), options: EngineOptions(asOf: store.statusDate ?? Day(raw: 0)),
                       readFile: { FileManager.default.contents(atPath: $0).map(Array.init) })
    }
}

/// A `ReplHost` over one session; exports are refused and counted.
final class TestHost: ReplHost {
    var session: Session
    var workspaceName: String { "demo" }
    var exports = 0
    var baseDirectory: String?

    init(_ session: Session) { self.session = session }

    func export(_ table: ResultTable, to path: String, at span: Span) -> Bool {
        exports += 1
        return false
    }

    func setBaseDirectory(_ directory: String?) { baseDirectory = directory }

    func open(_ path: String) -> String? { "cannot open '\(path)' in tests" }
}
