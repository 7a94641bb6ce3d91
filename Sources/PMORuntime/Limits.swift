// Caps on the size of intermediate results: rows a stage produces, elements of a list, characters
// of a text. The step budget (`Ctx.tick`) bounds time; these bound memory, so a runaway cross
// product or a text doubled in a recursive `def` stops with a clear runtime error (exit 70) long
// before the machine runs out of memory. The cap is `EngineOptions.maxRows` (`--max-rows`).
import PMOSyntax

extension Ctx {
    /// Throws when a result of `count` rows (or list elements) would exceed the cap.
    @inline(__always) func checkRows(_ count: Int, _ what: String, at span: Span) throws {
        if count > maxRows {
            throw RuntimeError("\(what) would produce more than \(maxRows) rows; the result is too large", at: span,
                               help: "narrow the input with 'where' or 'take' first, or raise the limit with --max-rows")
        }
    }

    /// Throws when a text of `bytes` UTF-8 bytes would exceed the cap.
    @inline(__always) func checkText(_ bytes: Int, at span: Span) throws {
        if bytes > maxRows {
            throw RuntimeError("text of more than \(maxRows) bytes; the result is too large", at: span,
                               help: "raise the limit with --max-rows")
        }
    }
}
