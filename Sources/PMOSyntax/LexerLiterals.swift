// Literals for the lexer: numbers (with scale, percent, duration and currency suffixes), money,
// dates and periods. Values are decoded exactly from the digits, never through binary floating
// point (only the `Double` of a `.decimal` token is parsed, correctly rounded, from its text).
import PMOBase

extension Lexer {
    /// The digits of a numeric literal: bytes `[start, end)` hold digits, `_` separators and at most one `.`.
    struct Digits {
        var start: Int
        var end: Int
        /// Digits before the decimal point.
        var whole: Int
        var hasFraction: Bool
    }

    /// Currency codes accepted after a number (`250k EUR`, `100USD`).
    static let currencyCodes: Set<String> = [
        "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK",
        "DKK", "PLN", "CZK", "INR", "CNY", "HKD", "SGD", "ZAR", "BRL", "MXN",
    ]

    // MARK: - Numbers

    /// A number at `pos` (a digit): a date or period, or digits with an optional fraction and one
    /// suffix: `%`, a scale (`k`/`K`, `M`, `B`), a duration unit, or a currency code.
    mutating func number() {
        let s = pos
        if datePeriod() { return }
        if let e = slashDate(from: pos) {
            let parts = text(s, e).split(separator: "/").map(String.init)
            pos = e
            let fixed = parts[0] + "-" + (parts[1].count == 1 ? "0" : "") + parts[1] + "-" + (parts[2].count == 1 ? "0" : "") + parts[2]
            return error("a date is written with dashes, not slashes", s, pos, help: "write \(fixed)")
        }
        let d = scanDigits()
        if pos < end && bytes[pos] == 0x25 { // '%'
            pos += 1
            guard let v = value(d, shift: 2) else { return tooLarge(s) }
            add(.percent(Fixed(units: v.value)), s, pos)
            return
        }
        let suffixStart = pos
        pos = wordEnd(from: pos)
        if suffixStart == pos { return plainNumber(d, scale: 0, from: s) }
        if let power = scale(suffixStart, pos) { return plainNumber(d, scale: power, from: s) }
        if pos - suffixStart == 1 && Lexer.lowercased(bytes[suffixStart]) == 0x68 { // h: hours
            guard let v = value(d, shift: 4) else { return tooLarge(s) }
            return add(.hours(Fixed(units: v.value)), s, pos)
        }
        if let unit = durationUnit(suffixStart, pos) {
            guard !d.hasFraction else {
                return error("a duration needs a whole number: \(text(s, pos))", s, pos)
            }
            guard let v = value(d, shift: 0) else { return tooLarge(s) }
            return add(.duration(v.value, unit), s, pos)
        }
        let suffixText = text(suffixStart, pos)
        if Lexer.currencyCodes.contains(suffixText) { return money(d, scale: 0, from: s, currency: suffixText) }
        var message = "unknown number suffix '\(suffixText)'"
        if suffixText == "m" { message += "; write 'M' for million or 'mo' for months" }
        if suffixText == "b" { message += "; write 'B' for billion or 'bd' for business days" }
        error(message, s, pos)
    }

    /// An integer or decimal ending at `pos`, or money when a currency code follows after spaces.
    /// `3.0` is a decimal (it is written with a fraction); `1.5M` is the integer 1,500,000.
    mutating func plainNumber(_ d: Digits, scale: Int, from s: Int) {
        if let codeEnd = currencyCode(after: pos) {
            let code = text(codeEnd - 3, codeEnd)
            pos = codeEnd
            return money(d, scale: scale, from: s, currency: code)
        }
        guard let v = value(d, shift: scale) else { return tooLarge(s) }
        if v.exact && (scale > 0 || !d.hasFraction) { return add(.integer(v.value), s, pos) }
        let exact = value(d, shift: scale + 4).map { Fixed(units: $0.value) }
        add(.decimal(double(d, scale: scale), exact: exact), s, pos)
    }

    mutating func money(_ d: Digits, scale: Int, from s: Int, currency: String) {
        guard let v = value(d, shift: scale + 4) else { return tooLarge(s) }
        add(.money(Fixed(units: v.value), currency: currency), s, pos)
    }

    mutating func tooLarge(_ s: Int) {
        error("number is too large: \(text(s, pos))", s, pos)
    }

    /// `$1.5M`, `€250k`, `£900`, `¥1000`: the symbol directly followed by an amount and an optional scale.
    mutating func symbolMoney(length: Int, symbol: String, currency: String) {
        let s = pos
        pos += length
        guard pos < end, Lexer.isDigit(bytes[pos]) else {
            return error("'\(symbol)' must be directly followed by an amount, as in \(symbol)1.5M", s, pos)
        }
        let d = scanDigits()
        if let e = thousandsGroups(from: pos) {
            let typed = text(s, e)
            pos = e
            let plain = String(typed.dropFirst(length).filter { $0 != "," })
            return error("a comma is not part of an amount", s, pos,
                         help: "write \(symbol)\(plain) without thousands separators (or with a scale: \(symbol)\(Lexer.scaled(plain)))")
        }
        let suffixStart = pos
        pos = wordEnd(from: pos)
        var power = 0
        if pos > suffixStart {
            guard let p = scale(suffixStart, pos) else {
                return error("unknown number suffix '\(text(suffixStart, pos))'", s, pos)
            }
            power = p
        }
        money(d, scale: power, from: s, currency: currency)
    }

    /// Scans `1_000.25` from `pos` (a digit): `_` only between digits, `.` only before a digit
    /// (so `2026-Q4.end`, `x.name` and `1.name` keep `.` as member access).
    mutating func scanDigits() -> Digits {
        let s = pos
        let whole = skipDigitRun()
        var fraction = false
        if pos + 1 < end, bytes[pos] == 0x2E, Lexer.isDigit(bytes[pos + 1]) { // '.' and a digit
            pos += 1
            _ = skipDigitRun()
            fraction = true
        }
        return Digits(start: s, end: pos, whole: whole, hasFraction: fraction)
    }

    /// Skips digits with single `_` separators between them; returns the number of digits.
    mutating func skipDigitRun() -> Int {
        var n = 0
        while pos < end {
            let b = bytes[pos]
            if b >= 0x30 && b <= 0x39 {
                n += 1
                pos += 1
            } else if b == 0x5F, n > 0, pos + 1 < end, Lexer.isDigit(bytes[pos + 1]) { // '_'
                pos += 1
            } else {
                break
            }
        }
        return n
    }

    /// The literal times 10^`shift`, rounded half to even to a whole number, and whether no rounding
    /// was needed; `nil` when the result does not fit in 64 bits. Exact: works digit by digit.
    mutating func value(_ d: Digits, shift: Int) -> Scaled? {
        let point = d.whole + shift // digits that end up before the decimal point
        var acc: Int64 = 0
        var k = 0
        var roundDigit: Int64 = point < 0 ? 0 : -1
        var sticky = false
        var i = d.start
        while i < d.end {
            let b = bytes[i]
            i += 1
            guard b >= 0x30 && b <= 0x39 else { continue }
            let digit = Int64(b - 0x30)
            if k < point {
                let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                acc = a
            } else if k == point {
                roundDigit = digit
            } else if digit != 0 {
                sticky = true
            }
            k += 1
        }
        while k < point {
            let (m, o) = acc.multipliedReportingOverflow(by: 10)
            if o { return nil }
            acc = m
            k += 1
        }
        let exact = roundDigit <= 0 && !sticky
        if roundDigit > 5 || (roundDigit == 5 && (sticky || acc % 2 == 1)) {
            let (a, o) = acc.addingReportingOverflow(1)
            if o { return nil }
            acc = a
        }
        return Scaled(value: acc, exact: exact)
    }

    struct Scaled {
        var value: Int64
        /// False when digits were rounded away.
        var exact: Bool
    }

    /// The nearest `Double`, parsed from the digits (separators dropped) with the scale as an exponent.
    mutating func double(_ d: Digits, scale: Int) -> Double {
        var chars: [UInt8] = []
        chars.reserveCapacity(d.end - d.start + 4)
        var i = d.start
        while i < d.end {
            if bytes[i] != 0x5F { chars.append(bytes[i]) }
            i += 1
        }
        if scale > 0 { chars.append(0x65); chars.append(contentsOf: String(scale).utf8) } // 'e'
        return Double(String(decoding: chars, as: UTF8.self)) ?? 0
    }

    /// `k`/`K` thousand, `M` million, `B` billion: the power of ten.
    mutating func scale(_ s: Int, _ e: Int) -> Int? {
        guard e - s == 1 else { return nil }
        switch bytes[s] {
        case 0x6B, 0x4B: return 3 // k K
        case 0x4D: return 6 // M
        case 0x42: return 9 // B
        default: return nil
        }
    }

    /// `d`, `w`, `mo`, `y`, `bd`, in any case (scale suffixes are checked first, so `M` is million).
    mutating func durationUnit(_ s: Int, _ e: Int) -> DurationUnit? {
        let first = Lexer.lowercased(bytes[s])
        if e - s == 1 {
            switch first {
            case 0x64: return .days // d
            case 0x77: return .weeks // w
            case 0x79: return .years // y
            default: return nil
            }
        }
        guard e - s == 2 else { return nil }
        let second = Lexer.lowercased(bytes[s + 1])
        if first == 0x6D && second == 0x6F { return .months } // mo
        if first == 0x62 && second == 0x64 { return .businessDays } // bd
        return nil
    }

    /// The end of an ISO currency code after at least one space or tab (`250k EUR`).
    mutating func currencyCode(after i: Int) -> Int? {
        var j = i
        while j < end && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        guard j > i, end - j >= 3 else { return nil }
        let a = bytes[j], b = bytes[j + 1], c = bytes[j + 2]
        guard a >= 0x41 && a <= 0x5A && b >= 0x41 && b <= 0x5A && c >= 0x41 && c <= 0x5A, // A-Z
              j + 3 == end || !Lexer.isWordByte(bytes[j + 3]) else { return nil }
        let code = text(j, j + 3)
        return Lexer.currencyCodes.contains(code) ? j + 3 : nil
    }

    // MARK: - Dates and periods

    /// `2026-11-22`, `2026-11`, `2026-Q4`, `2026-W47`: exactly four digits at `pos` directly followed
    /// by `-` and a digit, or by `-Q`/`-W` and a digit. Anything else returns false and consumes
    /// nothing (`x - 11` and `2026 - 11` stay arithmetic); a malformed one is an error token.
    mutating func datePeriod() -> Bool {
        let s = pos
        guard end - s >= 6, bytes[s + 4] == 0x2D, let year = decimalValue(s, s + 4) else { return false } // '-'
        let i = s + 5
        let c = bytes[i]
        var kind: TokenKind
        if Lexer.isDigit(c) {
            let monthEnd = digitsEnd(from: i)
            pos = monthEnd
            if monthEnd - i == 2, end - monthEnd >= 2, bytes[monthEnd] == 0x2D, Lexer.isDigit(bytes[monthEnd + 1]) {
                pos = digitsEnd(from: monthEnd + 1)
                if pos - monthEnd == 3, let m = decimalValue(i, monthEnd), let dd = decimalValue(monthEnd + 1, pos),
                   let day = Day(year: year, month: m, day: dd) {
                    kind = .date(day)
                } else {
                    kind = .error("\(text(s, pos)) is not a valid date")
                }
            } else if monthEnd - i == 2 {
                if let m = decimalValue(i, monthEnd), year >= 1, m >= 1 && m <= 12 {
                    kind = .period(.month(year: year, month: m))
                } else {
                    kind = .error("\(text(s, pos)) is not a valid month")
                }
            } else {
                kind = .error("'\(text(s, pos))' is not a date or period (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Wnn); "
                    + "put spaces around '-' to subtract")
            }
        } else {
            let letter = Lexer.lowercased(c)
            guard letter == 0x71 || letter == 0x77, i + 1 < end, Lexer.isDigit(bytes[i + 1]) else { return false } // q w
            pos = digitsEnd(from: i + 1)
            let n = decimalValue(i + 1, pos)
            if letter == 0x71 {
                if pos - i == 2, let q = n, year >= 1, q >= 1 && q <= 4 {
                    kind = .period(.quarter(year: year, quarter: q))
                } else {
                    kind = .error("\(text(s, pos)) is not a valid quarter (Q1 to Q4)")
                }
            } else if pos - i <= 3, let w = n, year >= 1, w >= 1 && w <= Period.isoWeeksInYear(year) {
                kind = .period(.week(year: year, week: w))
            } else if year >= 1 {
                kind = .error("\(text(s, pos)) is not a valid week; \(year) has \(Period.isoWeeksInYear(year)) ISO weeks")
            } else {
                kind = .error("\(text(s, pos)) is not a valid week")
            }
        }
        if pos < end && Lexer.isWordByte(bytes[pos]) {
            let e = wordEnd(from: pos)
            kind = .error("unknown suffix '\(text(pos, e))' after \(text(s, pos))")
            pos = e
        }
        add(kind, s, pos)
        return true
    }

    /// The end of the run of ASCII digits starting at `i`.
    mutating func digitsEnd(from i: Int) -> Int {
        var j = i
        while j < end && bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
        return j
    }

    // MARK: - Habits from spreadsheets

    /// The end of `,000` groups (a comma and three digits, repeated) starting at `i`, or nil.
    func thousandsGroups(from i: Int) -> Int? {
        var j = i
        while j + 3 < end, bytes[j] == 0x2C, Lexer.isDigit(bytes[j + 1]), Lexer.isDigit(bytes[j + 2]), Lexer.isDigit(bytes[j + 3]),
              j + 4 >= end || !Lexer.isDigit(bytes[j + 4]) {
            j += 4
        }
        return j > i ? j : nil
    }

    /// The end of `YYYY/M/D` (or `YYYY/MM/DD`) starting at `i`, or nil.
    func slashDate(from i: Int) -> Int? {
        var j = i
        func digits(_ lo: Int, _ hi: Int) -> Bool {
            let s = j
            while j < end, Lexer.isDigit(bytes[j]) { j += 1 }
            return (lo...hi).contains(j - s)
        }
        guard digits(4, 4), j < end, bytes[j] == 0x2F else { return nil }
        j += 1
        guard digits(1, 2), j < end, bytes[j] == 0x2F else { return nil }
        j += 1
        guard digits(1, 2) else { return nil }
        return j
    }

    /// `1000000` as `1M`, `250000` as `250k` (for a hint); the digits unchanged otherwise.
    static func scaled(_ digits: String) -> String {
        for (zeros, suffix) in [(9, "B"), (6, "M"), (3, "k")] where digits.count > zeros && digits.hasSuffix(String(repeating: "0", count: zeros)) {
            return String(digits.dropLast(zeros)) + suffix
        }
        return digits
    }
}
