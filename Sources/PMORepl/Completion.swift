// Tab completion that knows the language and the portfolio: keywords and stages, entity sets, the
// fields of the entity in scope, enumerated values, ids and names in quotes, `let`/`def` names,
// meta commands and file paths.
import Foundation
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio

/// One possible completion: the word, and what follows it when it is the only one (a space, `(`,
/// a closing quote, `/` after a directory).
public struct CompletionCandidate: Equatable, Sendable {
    public var text: String
    public var suffix: String
    public init(_ text: String, suffix: String = " ") { self.text = text; self.suffix = suffix }
}

/// What Tab does: replace the typed word (`replaceCount` Unicode scalars before the cursor) with
/// text, or list the candidates.
public struct CompletionResult: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case none
        case insert(String)
        case list([String])
    }

    public var word: String
    public var candidates: [CompletionCandidate]
    public var replaceCount: Int
    public var action: Action

    public static let nothing = CompletionResult(word: "", candidates: [], replaceCount: 0, action: .none)

    /// One candidate: it and its suffix. Several with a longer shared beginning: that beginning.
    /// Otherwise the list to show.
    public init(word: String, candidates: [CompletionCandidate]) {
        self.word = word
        self.candidates = candidates
        replaceCount = word.unicodeScalars.count
        if candidates.isEmpty {
            action = .none
        } else if candidates.count == 1 {
            action = .insert(candidates[0].text + candidates[0].suffix)
        } else {
            let common = CompletionResult.commonPrefix(candidates.map(\.text))
            if common.count > word.count || (common.count == word.count && common != word && !common.isEmpty) {
                action = .insert(common)
            } else {
                action = .list(candidates.map(\.text))
            }
        }
    }

    init(word: String, candidates: [CompletionCandidate], replaceCount: Int, action: Action) {
        self.word = word; self.candidates = candidates; self.replaceCount = replaceCount; self.action = action
    }

    static func commonPrefix(_ texts: [String]) -> String {
        guard var prefix = texts.first.map(Array.init) else { return "" }
        for t in texts.dropFirst() {
            let chars = Array(t)
            var n = 0
            while n < prefix.count && n < chars.count && prefix[n] == chars[n] { n += 1 }
            prefix.removeSubrange(n...)
        }
        return String(prefix)
    }
}

/// Completes the word before the cursor. `session` is asked each time (`.open` replaces it).
public final class Completer {
    private let session: () -> Session
    private let analyzer: CompletionAnalyzer

    public init(session: @escaping () -> Session) {
        self.session = session
        analyzer = CompletionAnalyzer(
            variableType: { session().typeOfVariable($0) },
            userFields: { session().userFields(of: $0) })
    }

    /// `text` is everything typed before the cursor in the current input (earlier lines of a
    /// multi-line input included, separated by line breaks).
    public func complete(_ text: String) -> CompletionResult {
        let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if !text.contains("\n"), lastLine.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(".") {
            return MetaCompletion.complete(lastLine)
        }
        switch Completer.openString(in: lastLine) {
        case .comment:
            return .nothing
        case .string(let quote, let start):
            // Inside `"... {expr`: complete the expression on its own.
            if quote == "\"", let code = Completer.openInterpolation(lastLine, after: start) { return complete(code) }
            return completeKey(lastLine, quote: quote, start: start)
        case .code:
            break
        }
        let word = String(lastLine.reversed().prefix { Completer.isWordCharacter($0) }.reversed())
        if let first = word.first, first.isNumber { return .nothing }
        let before = String(text.dropLast(word.count))
        let file = SourceFile(id: 0, name: "<completion>", bytes: Array(before.utf8))
        let site = analyzer.site(Lexer.tokenize(file))
        return CompletionResult(word: word, candidates: Completer.matching(word, candidates(for: site)))
    }

    static func isWordCharacter(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }

    /// Candidates starting with `word` (case-sensitively, else ignoring case), first of each text kept.
    static func matching(_ word: String, _ all: [CompletionCandidate]) -> [CompletionCandidate] {
        var seen = Set<String>()
        let unique = all.filter { seen.insert($0.text).inserted }
        let exact = unique.filter { $0.text.hasPrefix(word) }
        let found = exact.isEmpty ? unique.filter { $0.text.lowercased().hasPrefix(word.lowercased()) } : exact
        return found.sorted { $0.text < $1.text }
    }

    // MARK: - Candidates by site

    static let statementKeywords = ["let", "def", "print", "export", "use", "as", "assert"]
    static let stageWords = ["where", "sort", "order", "take", "limit", "select", "extend", "group", "aggregate", "distinct", "expand", "as"]
    static let operatorWords = ["and", "or", "not", "in", "is", "between", "contains", "starts", "ends", "matches", "asc", "desc"]
    static let valueWords = ["none", "true", "false", "today", "this", "if", "not"]

    func candidates(for site: CompletionSite) -> [CompletionCandidate] {
        let s = session()
        switch site {
        case .nothing:
            return []
        case .only(let words):
            return words.map { CompletionCandidate($0) }
        case .stage:
            return Completer.stageWords.map { CompletionCandidate($0) }
        case .enumValue(let e):
            return e.cases.map { CompletionCandidate($0) }
        case .history(let e, let words):
            return (e?.cases ?? []).map { CompletionCandidate($0) } + words.map { CompletionCandidate($0) }
        case .member(let shape):
            guard case .entity(let k) = shape else { return analyzer.members(of: shape).map { CompletionCandidate($0) } }
            return fieldCandidates(k, s)
        case .afterOperand(_, let inIf):
            var words = Completer.stageWords + Completer.operatorWords + ["was", "changed"]
            if inIf { words += ["then", "else"] }
            return words.map { CompletionCandidate($0) }
        case .statementStart:
            return Completer.statementKeywords.map { CompletionCandidate($0) } + operandCandidates(nil, s)
        case .operand(let scope):
            return operandCandidates(scope, s)
        }
    }

    /// Fields (a reference field gets no space: a `.` often follows), relationships and computed
    /// fields (a period-taking one gets `(`), and the user's computed fields.
    func fieldCandidates(_ k: EntityKind, _ s: Session) -> [CompletionCandidate] {
        let schema = Catalog.schemas[k.rawValue]
        var out: [CompletionCandidate] = []
        for f in schema.fields {
            if case .reference = f.type { out.append(CompletionCandidate(f.name, suffix: "")) } else { out.append(CompletionCandidate(f.name)) }
        }
        out += schema.toMany.map { CompletionCandidate($0.name) }
        out += schema.computed.map { CompletionCandidate($0.name, suffix: $0.takesPeriod ? "(" : " ") }
        out += s.userFields(of: k).map { CompletionCandidate($0) }
        return out
    }

    func operandCandidates(_ scope: EntityKind?, _ s: Session) -> [CompletionCandidate] {
        var out: [CompletionCandidate] = []
        // With a row in scope its fields come first and other sets are left out (its relationships
        // are among the fields); without one, the sets. (`project "…"` is not offered: `proj` would
        // stop at `project` on every Tab; ids complete once the quote is typed.)
        if let k = scope {
            out += fieldCandidates(k, s)
        } else {
            out += EntityKind.allCases.map { CompletionCandidate($0.setName) }
        }
        // A name without a variable type is a function.
        out += s.userNames.map { CompletionCandidate($0, suffix: s.typeOfVariable($0) == nil ? "(" : " ") }
        out += Session.functionNames.map { CompletionCandidate($0, suffix: "(") }
        out += Completer.valueWords.map { CompletionCandidate($0) }
        return out
    }

    // MARK: - Ids and names in quotes

    enum LineState: Equatable { case code, comment, string(quote: Character, start: String.Index) }

    /// Whether the end of `line` is in code, a comment, or a string opened at `start`.
    static func openString(in line: String) -> LineState {
        var quote: Character?
        var start = line.startIndex
        var escaped = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
                start = i
            } else if c == "#" {
                return .comment
            }
            i = line.index(after: i)
        }
        if let q = quote { return .string(quote: q, start: start) }
        return .code
    }

    /// The code after an interpolation's `{` still open at the end of `line` (the string opened at
    /// `start`), or nil. `{{` is a literal brace; a string inside the interpolation is not followed.
    static func openInterpolation(_ line: String, after start: String.Index) -> String? {
        var open: String.Index?
        var i = line.index(after: start)
        while i < line.endIndex {
            let c = line[i]
            let next = line.index(after: i)
            if c == "\\" && next < line.endIndex {
                i = line.index(after: next)
                continue
            }
            if c == "{" && open == nil {
                if next < line.endIndex && line[next] == "{" {
                    i = line.index(after: next)
                    continue
                }
                open = next
            } else if c == "}" {
                open = nil
            }
            i = next
        }
        return open.map { String(line[$0...]) }
    }

    /// `project "PRJ-00` → the ids and names of projects starting so (ignoring case), closed with the quote.
    func completeKey(_ line: String, quote: Character, start: String.Index) -> CompletionResult {
        let typed = String(line[line.index(after: start)...])
        let head = line[..<start].reversed().drop { $0 == " " || $0 == "\t" }
        let word = String(head.prefix { Completer.isWordCharacter($0) }.reversed())
        guard let kind = EntityKind(singular: word) ?? Completer.comparedKind(line[..<start]), !typed.contains("{") else { return .nothing }
        return KeyCompletion.complete(typed, kind: kind, quote: quote, store: session().store)
    }

    /// The entity set whose ids or names a string after `=` or inside `in [` compares with:
    /// `projects where id = "` and `tasks where project.name in ["A", "` (the set named before
    /// `.id`/`.name`, else the last set named on the line); nil elsewhere.
    static func comparedKind(_ before: Substring) -> EntityKind? {
        var s = before
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        if s.hasSuffix("=") && !s.hasSuffix("!=") && !s.hasSuffix("<=") && !s.hasSuffix(">=") {
            s.removeLast()
        } else if let r = s.range(of: " in [", options: .backwards), !s[r.upperBound...].contains("]"),
                  s.last == "[" || s.last == "," {
            s = s[..<r.lowerBound]
        } else {
            return nil
        }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        let chain = String(s.reversed().prefix { isWordCharacter($0) || $0 == "." }.reversed())
        let parts = chain.split(separator: ".").map(String.init)
        guard let field = parts.last, field == "id" || field == "name" else { return nil }
        if parts.count >= 2, let k = EntityKind(singular: parts[parts.count - 2]) { return k }
        let words = s.split(whereSeparator: { !isWordCharacter($0) })
        for w in words.reversed() {
            if let k = EntityKind(setName: String(w)) { return k }
        }
        return nil
    }

    /// A key written inside a string of the given quote.
    static func escaped(_ s: String, quote: Character) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case quote: out += "\\" + String(c)
            case "{" where quote == "\"": out += "{{"
            case "}" where quote == "\"": out += "}}"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Lays out words in columns, column by column like `ls`, within `width`; at most `maxLines`
/// lines, the last saying how many more there are.
public enum ColumnList {
    public static func format(_ items: [String], width: Int, maxLines: Int) -> String {
        guard !items.isEmpty else { return "" }
        let widest = items.map { DisplayWidth.of($0) }.max() ?? 1
        let cell = widest + 2
        let columns = max(1, min(items.count, (max(width, cell) + 2) / cell))
        let rows = (items.count + columns - 1) / columns
        let shownRows = rows > maxLines ? max(1, maxLines - 1) : rows
        var out = ""
        for r in 0..<shownRows {
            var line = ""
            for c in 0..<columns {
                let i = c * rows + r
                guard i < items.count else { continue }
                let isLast = c == columns - 1 || (c + 1) * rows + r >= items.count
                line += isLast ? items[i] : DisplayWidth.pad(items[i], to: cell, leftAlign: true)
            }
            out += line + "\n"
        }
        if shownRows < rows {
            let shown = (0..<shownRows).reduce(0) { n, r in n + (0..<columns).filter { $0 * rows + r < items.count }.count }
            out += "… and \(items.count - shown) more; type a few more letters\n"
        }
        return out
    }
}
