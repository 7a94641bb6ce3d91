// Fuzzes the checker and the interpreter: any script is checked against a small fixed portfolio and,
// when it checks, run under a small step budget. Nothing traps; every diagnostic and every runtime
// error points inside a source; a runaway script ends with a runtime error.
import FuzzCommon
import PMOBase
import PMORuntime
import PMOSyntax
import Portfolio

let store = FuzzFixture.store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let sources = SourceMap()
    var options = EngineOptions(asOf: FuzzFixture.asOf, maxSteps: 200_000)
    options.maxRows = 100_000
    let session = Session(store: store, sources: sources, options: options, readFile: { _ in nil })
    let file = sources.add(name: "<fuzz>", bytes: bytes)
    let (compiled, diagnostics) = session.compile(file)
    Invariants.checkDiagnostics(diagnostics, sources)
    _ = DiagnosticRenderer(sources: sources).render(diagnostics)
    guard let compiled else {
        if diagnostics.isEmpty { FuzzFailure.fail("compile returned no script and no diagnostics") }
        return 0
    }
    do {
        try session.run(compiled) { output in
            if case .export(_, let path, let span) = output {
                Invariants.checkSpan(span, sources, "export to '\(path)'")
            }
        }
    } catch {
        if error.message.hasPrefix("internal error") { FuzzFailure.fail("runtime: \(error.message)") }
        Invariants.checkSpan(error.span, sources, "runtime error '\(error.message)'")
        _ = DiagnosticRenderer(sources: sources).render([error.diagnostic])
    }
    return 0
}
