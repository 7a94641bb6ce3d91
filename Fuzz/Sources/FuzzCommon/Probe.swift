// A script that reads every field, relationship and computed field of every entity set, run over a
// store built from fuzzed data: loading may accept odd values, and nothing that reads them may trap.
import PMOBase
import PMORuntime
import PMOSyntax
import Portfolio

public enum PortfolioProbe {
    /// One statement per entity set: its default columns, then a `select` of everything it has.
    public static let script: String = {
        var lines: [String] = []
        for schema in Catalog.schemas {
            let set = schema.kind.setName
            lines.append(set)
            var items: [String] = []
            for f in schema.fields where Keyword(rawValue: f.name.lowercased()) == nil { items.append("f_\(f.name) = \(f.name)") }
            for r in schema.toMany { items.append("n_\(r.name) = count(\(r.name))") }
            for c in schema.computed {
                items.append("c_\(c.name) = " + (c.takesPeriod ? "\(c.name)(2026-11)" : c.name))
            }
            lines.append("\(set) | select " + items.joined(separator: ", "))
            lines.append("\(set) | group by \(schema.fields[0].name) | select k = \(schema.fields[0].name), n = count()")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Checks that the probe compiles against the fixed portfolio (once per process).
    public static let verified: Bool = {
        let sources = SourceMap()
        let session = Session(store: FuzzFixture.store, sources: sources,
                              options: EngineOptions(asOf: FuzzFixture.asOf), readFile: { _ in nil })
        let (compiled, diagnostics) = session.compile(sources.add(name: "<probe>", text: script))
        guard compiled != nil else {
            FuzzFailure.fail("the probe script does not check:\n" + DiagnosticRenderer(sources: sources).render(diagnostics))
        }
        return true
    }()

    /// Runs the probe over `store` under a small budget. Runtime errors (overflow, budgets) are fine;
    /// traps are not. Returns the number of outputs.
    @discardableResult
    public static func run(on store: PortfolioStore, accepting accepted: (RuntimeError) -> Bool = { _ in false }) -> Int {
        _ = verified
        let sources = SourceMap()
        let session = Session(store: store, sources: sources,
                              options: EngineOptions(asOf: store.statusDate ?? FuzzFixture.asOf, maxSteps: 2_000_000),
                              readFile: { _ in nil })
        let (compiled, diagnostics) = session.compile(sources.add(name: "<probe>", text: script))
        Invariants.checkDiagnostics(diagnostics, sources)
        guard let compiled else { return 0 }
        var outputs = 0
        do {
            try session.run(compiled) { _ in outputs += 1 }
        } catch {
            if error.message.hasPrefix("internal error") { FuzzFailure.fail("probe: \(error.message)") }
            if !accepted(error) { Invariants.checkSpan(error.span, sources, "probe runtime error '\(error.message)'") }
        }
        return outputs
    }
}
