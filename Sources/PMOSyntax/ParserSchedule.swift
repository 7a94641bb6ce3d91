// `schedule "CRON"`: when a script is meant to run. The statement does nothing when the script runs;
// `pmo crontab` and `pmo due` read it (PMORuntime/Schedule.swift checks the expression).

extension Parser {
    /// `schedule` followed by a string (or a number: a cron expression missing its quotes) at the start of a statement: the
    /// schedule statement. Elsewhere `schedule` is a name (the `schedule` RAG of a status report).
    var startsSchedule: Bool {
        guard current.isWord("schedule") else { return false }
        switch peek(1).kind {
        case .string, .rawString, .integer: return true
        default: return false
        }
    }

    /// `"schedule" STRING` with a plain string (no `{...}` interpolation).
    mutating func parseSchedule() throws -> Stmt {
        let start = advance().span.start
        let t = current
        switch t.kind {
        case .rawString(let text):
            advance()
            return Stmt(.schedule(text, t.span), span(from: start))
        case .string(let segments):
            var text = ""
            for segment in segments {
                guard case .text(let s) = segment else {
                    throw failure("a schedule cannot contain '{...}'", at: t.span,
                                  help: "write the cron expression itself, such as \"0 7 * * MON\"")
                }
                text += s
            }
            advance()
            return Stmt(.schedule(text, t.span), span(from: start))
        default:
            throw expected("a cron expression string after 'schedule', as in schedule \"0 7 * * MON\",")
        }
    }
}
