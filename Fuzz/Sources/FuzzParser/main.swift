// Fuzzes the parser: it terminates without trapping on any bytes, every diagnostic lies inside the
// source, and when there are no errors printing is a fixed point: print(parse(print(parse(x))))
// equals print(parse(x)). `Parser.isIncomplete` (the REPL's "wait for more input") must not trap
// and must be false when there are no errors.
import FuzzCommon
import PMOSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let diagnostics = Invariants.checkParse(bytes)
    let sources = SourceMap()
    let file = sources.add(name: "<fuzz>", bytes: bytes)
    if Parser.isIncomplete(file) && diagnostics.isEmpty {
        FuzzFailure.fail("isIncomplete is true for a script without errors")
    }
    // A tiny depth limit must give clean errors too, never a deeper tree or a trap.
    Invariants.checkParse(bytes, maxDepth: 3)
    return 0
}
