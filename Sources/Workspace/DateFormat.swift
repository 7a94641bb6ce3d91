// `--date-format`: the way an export writes its dates (`DD/MM/YYYY`, Jira's `DD/MMM/YY h:mm a`),
// compiled once and applied to every date cell. Only the date is kept; a time of day is read and
// checked but not stored (pmo's dates have no time).
import PMOBase

/// A date pattern: `YYYY`/`YY` year, `MM`/`M` month number, `MMM` month name (Jan, January; any
/// letter case), `DD`/`D` day, `HH`/`H`/`hh`/`h` hour, `mm` minutes, `ss` seconds, `a` AM/PM; any
/// other character stands for itself. `YY` is a year of the 2000s (26 is 2026).
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    enum Piece: Sendable, Equatable {
        case year4, year2, month, monthName, day, hour, minute, second, ampm
        /// A character that stands for itself.
        case literal(UInt8)
    }

    /// `fixed`: exactly two digits (MM, DD, HH); else one or two (M, D, H).
    let pieces: [(Piece, fixed: Bool)]
    public let text: String

    public static func == (a: DateFormat, b: DateFormat) -> Bool { a.text == b.text }
    public var description: String { text }

    /// Compiles a pattern; nil (with the reason) when it has no year, month or day.
    public static func parse(_ pattern: String) -> Result<DateFormat, DateFormatError> {
        let b = Array(pattern.utf8)
        var out: [(Piece, fixed: Bool)] = []
        var i = 0
        func run(_ c: UInt8) -> Int { var n = 0; while i + n < b.count && b[i + n] == c { n += 1 }; return n }
        while i < b.count {
            let c = b[i]
            let n = run(c)
            switch c {
            case UInt8(ascii: "Y"), UInt8(ascii: "y"):
                guard n == 4 || n == 2 else { return .failure(DateFormatError(message: "the year is YYYY or YY in date format '\(pattern)'")) }
                out.append((n == 4 ? .year4 : .year2, true))
            case UInt8(ascii: "M"):
                guard n <= 4 else { return .failure(DateFormatError(message: "too many M in date format '\(pattern)' (MM, M or MMM)")) }
                out.append((n >= 3 ? .monthName : .month, n == 2))
            case UInt8(ascii: "D"), UInt8(ascii: "d"):
                guard n <= 2 else { return .failure(DateFormatError(message: "the day is DD or D in date format '\(pattern)'")) }
                out.append((.day, n == 2))
            case UInt8(ascii: "H"), UInt8(ascii: "h"):
                guard n <= 2 else { return .failure(DateFormatError(message: "the hour is HH or H in date format '\(pattern)'")) }
                out.append((.hour, n == 2))
            case UInt8(ascii: "m"):
                guard n <= 2 else { return .failure(DateFormatError(message: "the minutes are mm in date format '\(pattern)'")) }
                out.append((.minute, n == 2))
            case UInt8(ascii: "s"):
                guard n <= 2 else { return .failure(DateFormatError(message: "the seconds are ss in date format '\(pattern)'")) }
                out.append((.second, n == 2))
            case UInt8(ascii: "a"), UInt8(ascii: "A"):
                out.append((.ampm, true))
            default:
                for _ in 0..<n { out.append((.literal(c), true)) }
            }
            i += n
        }
        let kinds = out.map(\.0)
        let hasYear = kinds.contains(.year4) || kinds.contains(.year2)
        let hasMonth = kinds.contains(.month) || kinds.contains(.monthName)
        guard hasYear, hasMonth, kinds.contains(.day) else {
            return .failure(DateFormatError(message: "date format '\(pattern)' needs a year (YYYY or YY), a month (MM or MMM) and a day (DD), as in DD/MM/YYYY"))
        }
        return .success(DateFormat(pieces: out, text: pattern))
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// The date a cell holds, or nil when it does not follow the pattern or names no calendar date.
    public func day(_ text: String) -> Day? {
        let b = Array(text.utf8)
        var i = 0
        var year = -1, month = -1, day = -1, hour = -1, pm: Bool?
        func digits(_ fixed: Bool, _ maxCount: Int) -> Int? {
            var v = 0, n = 0
            while i < b.count, n < maxCount, b[i] >= 48, b[i] <= 57 { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
            if n == 0 || (fixed && n != maxCount) { return nil }
            return v
        }
        for (p, fixed) in pieces {
            switch p {
            case .year4: guard let v = digits(true, 4) else { return nil }; year = v
            case .year2: guard let v = digits(true, 2) else { return nil }; year = 2000 + v
            case .month: guard let v = digits(fixed, 2) else { return nil }; month = v
            case .day: guard let v = digits(fixed, 2) else { return nil }; day = v
            case .hour: guard let v = digits(fixed, 2), v <= 23 else { return nil }; hour = v
            case .minute: guard let v = digits(fixed, 2), v <= 59 else { return nil }
            case .second: guard let v = digits(fixed, 2), v <= 59 else { return nil }
            case .monthName:
                var j = i
                while j < b.count, (b[j] | 0x20) >= 97, (b[j] | 0x20) <= 122 { j += 1 }
                let word = String(decoding: b[i..<j].map { $0 | 0x20 }, as: UTF8.self)
                guard let m = DateFormat.months.firstIndex(of: word) ?? DateFormat.monthNames.firstIndex(of: word) else { return nil }
                month = m + 1
                i = j
            case .ampm:
                guard i + 1 < b.count, (b[i + 1] | 0x20) == 109 else { return nil } // m
                switch b[i] | 0x20 { case 97: pm = false; case 112: pm = true; default: return nil }
                i += 2
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            }
        }
        guard i == b.count else { return nil }
        if let pm, hour >= 0, hour == 0 || hour > 12 { _ = pm; return nil } // 0 PM, 13 AM: not a 12-hour clock
        return Day(year: year, month: month, day: day)
    }

    /// An example of the pattern for messages (22 November 2026, 10:15).
    public var example: String {
        var s = ""
        for (p, _) in pieces {
            switch p {
            case .year4: s += "2026"
            case .year2: s += "26"
            case .month: s += "11"
            case .monthName: s += "Nov"
            case .day: s += "22"
            case .hour: s += "10"
            case .minute: s += "15"
            case .second: s += "00"
            case .ampm: s += "AM"
            case .literal(let c): s += String(UnicodeScalar(c))
            }
        }
        return s
    }
}

public struct DateFormatError: Error, Sendable {
    public let message: String
}
