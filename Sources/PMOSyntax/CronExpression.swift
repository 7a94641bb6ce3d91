// `schedule "CRON"`: five-field cron expressions as Vixie cron reads them, and finding a script's
// schedule from its tokens alone. This is the expression's syntax (the checker reports a bad one with
// a caret inside the string); when it fires is PMOCron's (`CronFiring.swift`).
//
// Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or jan-dec), day of week
// (0-7 or sun-sat; 0 and 7 are Sunday). Each is a comma list of `*`, `N`, `A-B`, optionally with
// `/STEP` (`*/15`, `1-5/2`, `10/20` = `10-59/20`). `@yearly` (`@annually`), `@monthly`, `@weekly`,
// `@daily` (`@midnight`) and `@hourly` stand for their usual expansions. As in Vixie cron, when both
// the day of month and the day of week are restricted (neither starts with `*`), a day matching
// either fires: `0 9 1 * MON` is the 1st of the month and every Monday.
import PMOBase

/// A problem in a cron expression: the message names the field; `offset` and `length` locate the
/// bad part in the expression's text (0-based, in characters).
public struct CronError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var length: Int
    public init(_ message: String, offset: Int, length: Int) {
        self.message = message; self.offset = offset; self.length = max(1, length)
    }
    /// `column 7: day of month: 32 is out of range 1-31`.
    public var description: String { "column \(offset + 1): \(message)" }
}

/// A parsed cron expression.
public struct CronSchedule: Equatable, Sendable {
    /// The expression as written.
    public let text: String
    /// Bit i set: minute i matches (0-59).
    public let minutes: UInt64
    /// Bit i set: hour i (0-23).
    public let hours: UInt32
    /// Bit i set: day of month i (1-31).
    public let days: UInt32
    /// Bit i set: month i (1-12).
    public let months: UInt16
    /// Bit i set: weekday i, 0 = Sunday ... 6 = Saturday (7 is folded into 0).
    public let weekdays: UInt8
    /// The day-of-month field starts with `*` (then only the weekday restricts days).
    public let dayIsStar: Bool
    /// The day-of-week field starts with `*`.
    public let weekdayIsStar: Bool

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    struct FieldSpec {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
        /// Names start at this number (jan = 1, sun = 0).
        let nameBase: Int
    }

    static let fieldSpecs: [FieldSpec] = [
        FieldSpec(name: "minute", range: 0...59, names: [], nameBase: 0),
        FieldSpec(name: "hour", range: 0...23, names: [], nameBase: 0),
        FieldSpec(name: "day of month", range: 1...31, names: [], nameBase: 1),
        FieldSpec(name: "month", range: 1...12,
                  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], nameBase: 1),
        FieldSpec(name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], nameBase: 0),
    ]

    /// Parses an expression; throws a `CronError` naming the field, the reason and the column.
    public init(parsing source: String) throws(CronError) {
        let chars = Array(source)
        var lead = 0
        while lead < chars.count && (chars[lead] == " " || chars[lead] == "\t") { lead += 1 }
        var trail = chars.count
        while trail > lead && (chars[trail - 1] == " " || chars[trail - 1] == "\t") { trail -= 1 }
        let body = String(chars[lead..<trail])
        if body.isEmpty { throw CronError("the schedule is empty: expected five fields (minute hour day month weekday) or @daily", offset: 0, length: 1) }
        var expression = body
        var macroSpan: (Int, Int)?
        if body.hasPrefix("@") {
            let key = body.lowercased()
            if key == "@reboot" {
                throw CronError("@reboot is not a time: pmo schedules need a time such as @daily or \"0 7 * * MON\"", offset: lead, length: body.count)
            }
            guard let expansion = CronSchedule.macros[key] else {
                let hint = Suggest.closest(to: key, in: Array(CronSchedule.macros.keys)).map { "; did you mean \($0)?" } ?? ""
                throw CronError("unknown schedule '\(body)': use five fields or one of @yearly, @monthly, @weekly, @daily, @hourly\(hint)",
                                offset: lead, length: body.count)
            }
            expression = expansion
            macroSpan = (lead, body.count)
        }
        // Split into fields, remembering where each starts in the original text.
        var fields: [(text: String, offset: Int)] = []
        let exprChars = Array(expression)
        var i = 0
        while i < exprChars.count {
            while i < exprChars.count && (exprChars[i] == " " || exprChars[i] == "\t") { i += 1 }
            guard i < exprChars.count else { break }
            let start = i
            while i < exprChars.count && exprChars[i] != " " && exprChars[i] != "\t" { i += 1 }
            fields.append((String(exprChars[start..<i]), (macroSpan?.0 ?? lead) + (macroSpan == nil ? start : 0)))
        }
        guard fields.count == 5 else {
            let names = "minute hour day-of-month month day-of-week"
            if fields.count < 5 {
                throw CronError("expected five fields (\(names)) but found \(fields.count); the \(CronSchedule.fieldSpecs[fields.count].name) is missing",
                                offset: lead + body.count, length: 1)
            }
            let extra = fields[5]
            throw CronError("expected five fields (\(names)) but found \(fields.count); '\(extra.text)' is one too many",
                            offset: extra.offset, length: extra.text.count)
        }
        var masks: [UInt64] = []
        for (n, f) in fields.enumerated() {
            masks.append(try CronSchedule.parseField(f.text, CronSchedule.fieldSpecs[n], offset: f.offset))
        }
        text = body
        minutes = masks[0]
        hours = UInt32(truncatingIfNeeded: masks[1])
        days = UInt32(truncatingIfNeeded: masks[2])
        months = UInt16(truncatingIfNeeded: masks[3])
        var dow = masks[4]
        if dow & (1 << 7) != 0 { dow = (dow | 1) & ~(1 << 7) }
        weekdays = UInt8(truncatingIfNeeded: dow)
        dayIsStar = fields[2].text.hasPrefix("*")
        weekdayIsStar = fields[4].text.hasPrefix("*")
        // A day of month that no chosen month has never fires (0 0 30 2 *); say so now. (With a
        // restricted weekday too, the weekday alone makes it fire.)
        if weekdayIsStar && !dayIsStar {
            var possible = false
            for m in 1...12 where months & (1 << m) != 0 {
                let longest = m == 2 ? 29 : Day.daysInMonth(year: 2001, month: m)
                for d in 1...longest where days & (1 << d) != 0 { possible = true }
            }
            if !possible {
                throw CronError("day of month: no chosen month has day \(CronSchedule.lowest(days)), so this schedule never fires",
                                offset: fields[2].offset, length: fields[2].text.count)
            }
        }
    }

    static func lowest(_ mask: UInt32) -> Int {
        for i in 0..<32 where mask & (1 << i) != 0 { return i }
        return 0
    }

    /// One field's comma list as a bit mask.
    static func parseField(_ text: String, _ spec: FieldSpec, offset: Int) throws(CronError) -> UInt64 {
        var mask: UInt64 = 0
        var itemStart = 0
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(piece)
            let at = offset + itemStart
            itemStart += item.count + 1
            if item.isEmpty {
                throw CronError("\(spec.name): empty item in the list '\(text)'", offset: at, length: 1)
            }
            mask |= try parseItem(item, spec, offset: at)
        }
        return mask
    }

    /// `*`, `N`, `A-B`, each optionally `/STEP`.
    static func parseItem(_ item: String, _ spec: FieldSpec, offset: Int) throws(CronError) -> UInt64 {
        var base = Substring(item)
        var step = 1
        if let slash = item.firstIndex(of: "/") {
            base = item[..<slash]
            let stepText = item[item.index(after: slash)...]
            let stepOffset = offset + item.distance(from: item.startIndex, to: slash) + 1
            guard let s = Int(stepText), s >= 1 else {
                throw CronError("\(spec.name): the step after '/' must be a whole number of at least 1, not '\(stepText)'",
                                offset: stepOffset, length: max(1, stepText.count))
            }
            guard s <= spec.range.upperBound - spec.range.lowerBound + 1 else {
                throw CronError("\(spec.name): step \(s) is larger than the field's range \(spec.range.lowerBound)-\(spec.range.upperBound)",
                                offset: stepOffset, length: stepText.count)
            }
            step = s
        }
        let low: Int, high: Int
        if base == "*" {
            low = spec.range.lowerBound
            high = spec.name == "day of week" ? 6 : spec.range.upperBound
        } else if let dash = base.firstIndex(of: "-"), dash != base.startIndex {
            let a = base[..<dash], b = base[base.index(after: dash)...]
            let bOffset = offset + base.distance(from: base.startIndex, to: dash) + 1
            low = try value(a, spec, offset: offset)
            high = try value(b, spec, offset: bOffset)
            if low > high {
                throw CronError("\(spec.name): the range \(base) goes backwards; write the smaller value first",
                                offset: offset, length: base.count)
            }
        } else {
            low = try value(base, spec, offset: offset)
            // `N/STEP` means N to the end of the range, stepping.
            high = item.contains("/") ? (spec.name == "day of week" ? 6 : spec.range.upperBound) : low
        }
        var mask: UInt64 = 0
        var v = low
        while v <= high {
            mask |= 1 << UInt64(v)
            v += step
        }
        return mask
    }

    /// A number in range, or a name (`mon`, `Jan`).
    static func value(_ text: Substring, _ spec: FieldSpec, offset: Int) throws(CronError) -> Int {
        if text.isEmpty { throw CronError("\(spec.name): a value is missing", offset: offset, length: 1) }
        if let n = Int(text) {
            guard spec.range.contains(n) else {
                throw CronError("\(spec.name): \(n) is out of range \(spec.range.lowerBound)-\(spec.range.upperBound)",
                                offset: offset, length: text.count)
            }
            return n
        }
        let lower = text.lowercased()
        if let i = spec.names.firstIndex(of: lower) { return i + spec.nameBase }
        // Full names (`monday`, `January`) are not cron; say which three letters to write.
        if lower.count > 3, let i = spec.names.firstIndex(of: String(lower.prefix(3))) {
            throw CronError("\(spec.name): write '\(spec.names[i])' (three letters) instead of '\(text)'", offset: offset, length: text.count)
        }
        if spec.names.isEmpty {
            throw CronError("\(spec.name): '\(text)' is not a number in \(spec.range.lowerBound)-\(spec.range.upperBound)",
                            offset: offset, length: text.count)
        }
        let hint = Suggest.closest(to: lower, in: spec.names).map { "; did you mean '\($0)'?" } ?? ""
        throw CronError("\(spec.name): '\(text)' is neither a number in \(spec.range.lowerBound)-\(spec.range.upperBound) nor a name (\(spec.names.joined(separator: ", ")))\(hint)",
                        offset: offset, length: text.count)
    }

}

/// A script's `schedule "..."` lines, found from its tokens without parsing the rest of the script
/// (so a script whose other statements have errors still shows its schedule).
public enum ScheduleScanner {
    public struct Found: Sendable {
        /// The expression's text; nil when the string has `{...}` interpolations.
        public var text: String?
        /// The string token's span (quotes included).
        public var span: Span
        /// The parsed schedule, or the problem with it.
        public var result: Result<CronSchedule, CronError>
    }

    /// Every `schedule STRING` at the start of a statement, in order.
    public static func scan(_ file: SourceFile) -> [Found] {
        let tokens = Lexer.tokenize(file)
        var out: [Found] = []
        var atStatementStart = true
        for (i, t) in tokens.enumerated() {
            defer {
                switch t.kind {
                case .newline, .symbol(.semicolon), .symbol(.lbrace), .symbol(.rbrace): atStatementStart = true
                default: atStatementStart = false
                }
            }
            guard atStatementStart, t.isWord("schedule"), i + 1 < tokens.count else { continue }
            let next = tokens[i + 1]
            var text: String?
            switch next.kind {
            case .string(let segments):
                var s = ""
                var plain = true
                for seg in segments {
                    if case .text(let part) = seg { s += part } else { plain = false }
                }
                text = plain ? s : nil
            case .rawString(let s): text = s
            default: continue
            }
            let result: Result<CronSchedule, CronError>
            if let text {
                do { result = .success(try CronSchedule(parsing: text)) } catch { result = .failure(error) }
            } else {
                result = .failure(CronError("a schedule cannot contain '{...}': write the cron expression itself", offset: 0, length: 1))
            }
            out.append(Found(text: text, span: next.span, result: result))
        }
        return out
    }

    /// Whether the script has a `report` block at the start of a statement.
    public static func hasReport(_ file: SourceFile) -> Bool { hasStatement(.report, in: file) }

    /// Whether the script has a `check` statement (it is a governance check).
    public static func hasCheck(_ file: SourceFile) -> Bool { hasStatement(.check, in: file) }

    static func hasStatement(_ keyword: Keyword, in file: SourceFile) -> Bool {
        var atStatementStart = true
        for t in Lexer.tokenize(file) {
            if atStatementStart && t.kind == .keyword(keyword) { return true }
            switch t.kind {
            case .newline, .symbol(.semicolon), .symbol(.lbrace), .symbol(.rbrace): atStatementStart = true
            default: atStatementStart = false
            }
        }
        return false
    }

    /// The span of a `CronError` inside the string token at `span` (after its opening quote).
    public static func errorSpan(_ error: CronError, in span: Span, file: SourceFile) -> Span {
        let tokenText = file.text(span)
        // Columns count characters; spans count bytes.
        let chars = Array(tokenText.dropFirst())
        let startChars = min(error.offset, chars.count)
        let endChars = min(error.offset + error.length, chars.count)
        let startBytes = String(chars[0..<startChars]).utf8.count + 1
        let lengthBytes = String(chars[startChars..<endChars]).utf8.count
        let start = Int(span.start) + startBytes
        return Span(file: span.file, start: start, end: min(Int(span.end), start + max(1, lengthBytes)))
    }
}
