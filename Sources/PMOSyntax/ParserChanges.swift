// Changes: `update`, `insert`, `delete` (each with `because` and an optional `effective`) and `undo`.
// The words are contextual, not keywords: `update` starts a change only at the start of a statement
// and before a name, so a field or variable called `update` keeps working elsewhere.
//
// ```
// change = "update" NAME [ STRING | "where" expr ] "set" NAME "=" expr { "," NAME "=" expr } reason
//        | "insert" NAME record reason
//        | "delete" NAME ( STRING | "where" expr ) reason
//        | "undo"
// reason = "because" expr [ "effective" expr ]
// ```
extension Parser {
    /// A change statement starts here: `update`/`insert`/`delete` before a name, or `undo` alone.
    var startsChange: Bool {
        if current.isWord("undo") {
            switch peek(1).kind {
            case .newline, .endOfInput, .symbol(.semicolon): return true
            default: return false
            }
        }
        guard current.isWord("update") || current.isWord("insert") || current.isWord("delete") else { return false }
        if case .identifier = peek(1).kind { return true }
        return false
    }

    mutating func parseChange() throws -> Stmt {
        let first = advance()
        let start = first.span.start
        guard case .identifier(let word) = first.kind else { throw expected("a change") }
        if word.lowercased() == "undo" { return Stmt(.undo, span(from: start)) }
        let action = ChangeDecl.Action(rawValue: word.lowercased()) ?? .update
        let set = try expectName("after '\(action.rawValue)': the set to change, such as projects")
        var key: Expr?
        var condition: Expr?
        var assignments: [RecordField] = []
        switch current.kind {
        case .string, .rawString: key = try parseExpression()
        default: break
        }
        if key == nil && action != .insert, continues({ $0.isKeyword(.where) }) {
            advance()
            condition = try parseExpression()
        }
        switch action {
        case .update:
            guard continues({ $0.isWord("set") }) else {
                throw expected("'set' and the fields to change, as in update \(set.text) set status = red because \"...\",")
            }
            advance()
            repeat {
                skipNewlines()
                let name = try expectName("of a field to change after 'set'")
                try expect(.eq, "after '\(name.text)': set \(name.text) = VALUE")
                let value = try parseExpression()
                assignments.append(RecordField(name: name, value: value))
            } while accept(.comma) != nil
        case .insert:
            guard at(.lbrace) else {
                throw expected("the new row's fields in braces, as in insert \(set.text) {id: \"...\", name: \"...\"},")
            }
            guard case .record(let fields) = try parseRecord().kind else { throw expected("a record") }
            assignments = fields
        case .delete:
            if key == nil && condition == nil {
                throw expected("'where' and a condition, as in delete \(set.text) where id = \"...\" because \"...\",")
            }
        }
        guard continues({ $0.isWord("because") }) else {
            throw expected("'because' and the reason for the change (the journal keeps it), as in because \"steering committee\",")
                .with(help: "every change needs a reason: add because \"WHY\" at its end")
        }
        advance()
        let reason = try parseExpression()
        var effective: Expr?
        if continues({ $0.isWord("effective") }) {
            advance()
            effective = try parseExpression()
        }
        return Stmt(.change(ChangeDecl(action: action, set: set, key: key, condition: condition, assignments: assignments,
                                       reason: reason, effective: effective)), span(from: start))
    }
}

// History in conditions: `F was V`, `F was in [...]`, `F was not V`, `F changed [from V] [to V] [by
// WHO]`, each with an optional `during PERIOD`, `after DATE`, `before DATE` or `on DATE`. `was` and
// `changed` are contextual: after a complete operand, where an operator may stand.
extension Parser {
    /// `was` or `changed` at the cursor, where an infix operator may stand.
    var startsHistory: Bool { current.isWord("was") || current.isWord("changed") }

    mutating func parseHistory(_ left: Expr, _ word: Token) throws -> Expr {
        if word.isWord("was") {
            var form = WasForm.value
            if accept(.in) != nil { form = .oneOf } else if accept(.not) != nil { form = .not }
            skipNewlines()
            let value = try parseBinary(.coalesce)
            let window = try parseWindow()
            return Expr(.was(left, value, form, window), span(from: left.span.start))
        }
        var q = ChangedQualifiers()
        while true {
            if q.from == nil, current.isWord("from") {
                advance(); q.from = try parseBinary(.coalesce)
            } else if q.to == nil, current.isWord("to") {
                advance(); q.to = try parseBinary(.coalesce)
            } else if q.by == nil, at(.by) {
                advance(); q.by = try parseBinary(.coalesce)
            } else {
                break
            }
        }
        q.window = try parseWindow()
        return Expr(.changed(left, q), span(from: left.span.start))
    }

    /// `during PERIOD`, `after DATE`, `before DATE` or `on DATE`, if there.
    mutating func parseWindow() throws -> HistoryWindow? {
        for word in ["during", "after", "before", "on"] where current.isWord(word) {
            advance()
            let e = try parseBinary(.coalesce)
            switch word {
            case "during": return .during(e)
            case "after": return .after(e)
            case "before": return .before(e)
            default: return .on(e)
            }
        }
        return nil
    }
}

extension Writer {
    func history(_ e: Expr) -> String {
        switch e.kind {
        case .was(let f, let v, let form, let w):
            return sub(f, .coalesce) + " \(form.rawValue) " + sub(v, .coalesce) + window(w)
        case .changed(let f, let q):
            var s = sub(f, .coalesce) + " changed"
            if let x = q.from { s += " from " + sub(x, .coalesce) }
            if let x = q.to { s += " to " + sub(x, .coalesce) }
            if let x = q.by { s += " by " + sub(x, .coalesce) }
            return s + window(q.window)
        default: return raw(e)
        }
    }

    func window(_ w: HistoryWindow?) -> String {
        guard let w else { return "" }
        return " \(w.word) " + sub(w.expr, .coalesce)
    }

    func change(_ c: ChangeDecl) -> String {
        var s = "\(c.action.rawValue) \(c.set.text)"
        if let k = c.key { s += " " + sub(k, .postfix) }
        if let w = c.condition { s += " where " + top(w) }
        switch c.action {
        case .update: s += " set " + c.assignments.map { "\($0.name.text) = \(top($0.value))" }.joined(separator: ", ")
        case .insert: s += " {" + c.assignments.map { "\($0.name.text): \(top($0.value))" }.joined(separator: ", ") + "}"
        case .delete: break
        }
        s += " because " + top(c.reason)
        if let e = c.effective { s += " effective " + top(e) }
        return s
    }
}
