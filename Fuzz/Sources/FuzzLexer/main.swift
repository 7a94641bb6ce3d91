// Fuzzes the lexer: any bytes give tokens whose spans are in order and in bounds, with only
// whitespace and comments between them and exactly one end of input. Lexing a sub-range (as string
// interpolation does) keeps the same guarantees inside that range.
import FuzzCommon
import PMOSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLexer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let sources = SourceMap()
    let file = sources.add(name: "<fuzz>", bytes: bytes)
    let tokens = Lexer.tokenize(file)
    Invariants.checkTokens(tokens, file)
    for t in tokens {
        _ = t.displayName
        // Every interpolation is lexed again on its own, as the parser does.
        if case .string(let segments) = t.kind {
            for case .interpolation(let sp) in segments {
                var inner = Lexer(file: file, start: Int(sp.start), end: Int(sp.end))
                let sub = inner.tokenize()
                guard let last = sub.last, last.kind == .endOfInput, last.span.start == sp.end else {
                    FuzzFailure.fail("lexing the interpolation \(sp) does not end at its end")
                }
                var previous = Int(sp.start)
                for u in sub {
                    guard Int(u.span.start) >= previous, u.span.start <= u.span.end, u.span.end <= sp.end else {
                        FuzzFailure.fail("token \(u.kind) at \(u.span) of the interpolation \(sp) is out of order or outside it")
                    }
                    previous = Int(u.span.end)
                }
            }
        }
    }
    return 0
}
