import XCTest
import Foundation
import PMOBase
import Portfolio
import PMORuntime
@testable import PMORender

final class FormatterTests: XCTestCase {
    func money(_ text: String, _ currency: String = "USD") -> Value {
        .money(Fixed(parsing: Substring(text)) ?? .zero, currency: currency)
    }

    func pct(_ fraction: String) -> Value { .percent(Fixed(parsing: Substring(fraction)) ?? .zero) }

    func testMoneyDisplay() {
        XCTAssertEqual(ValueFormatter.display(money("1500000")), "$1,500,000.00")
        XCTAssertEqual(ValueFormatter.display(money("250000", "EUR")), "€250,000.00")
        XCTAssertEqual(ValueFormatter.display(money("900", "GBP")), "£900.00")
        XCTAssertEqual(ValueFormatter.display(money("1200", "JPY")), "¥1,200")
        XCTAssertEqual(ValueFormatter.display(money("1500", "CHF")), "1,500.00 CHF")
        XCTAssertEqual(ValueFormatter.display(money("-1234.5")), "-$1,234.50")
        XCTAssertEqual(ValueFormatter.display(money("0.005")), "$0.00")
        XCTAssertEqual(ValueFormatter.display(money("999.995")), "$1,000.00")
    }

    func testPercentDisplay() {
        XCTAssertEqual(ValueFormatter.display(pct("0.85")), "85%")
        XCTAssertEqual(ValueFormatter.display(pct("0.125")), "12.5%")
        XCTAssertEqual(ValueFormatter.display(pct("0.1234")), "12.34%")
        XCTAssertEqual(ValueFormatter.display(pct("1")), "100%")
        XCTAssertEqual(ValueFormatter.display(pct("-0.05")), "-5%")
        XCTAssertEqual(ValueFormatter.display(pct("0.0005")), "0.05%")
        XCTAssertEqual(ValueFormatter.display(pct("0")), "0%")
    }

    func testScalarDisplay() {
        XCTAssertEqual(ValueFormatter.display(.real(0.93333)), "0.93")
        XCTAssertEqual(ValueFormatter.display(.real(1)), "1.00")
        XCTAssertEqual(ValueFormatter.display(.real(-0.001)), "0.00")
        XCTAssertEqual(ValueFormatter.display(.int(42)), "42")
        XCTAssertEqual(ValueFormatter.display(.none), "–")
        XCTAssertEqual(ValueFormatter.display(.bool(true)), "true")
        XCTAssertEqual(ValueFormatter.display(.bool(false)), "false")
        XCTAssertEqual(ValueFormatter.display(.date(Day(year: 2026, month: 11, day: 22) ?? Day(raw: 0))), "2026-11-22")
        XCTAssertEqual(ValueFormatter.display(.hours(Fixed(parsing: "1234.5") ?? .zero)), "1,234.5h")
        XCTAssertEqual(ValueFormatter.display(.enumeration(.rag, 2)), "red")
        XCTAssertEqual(ValueFormatter.display(.list([.string("a"), .int(2), .none])), "a, 2, –")
        XCTAssertEqual(ValueFormatter.display(.duration(Duration(days: 30))), "30d")
        XCTAssertEqual(ValueFormatter.display(.period(Period.quarter(year: 2026, quarter: 4) ?? .range(Day(raw: 0), Day(raw: 0)))), "2026-Q4")
        XCTAssertEqual(ValueFormatter.display(.entity(.project, 3)), "project #3")
        XCTAssertEqual(ValueFormatter.display(.entity(.project, 3), entityLabel: { _, r in "PRJ-\(r)" }), "PRJ-3")
    }

    func testRawValues() {
        XCTAssertEqual(ValueFormatter.raw(money("1500000")), "1500000.00")
        XCTAssertEqual(ValueFormatter.raw(money("0.3333")), "0.3333")
        XCTAssertEqual(ValueFormatter.raw(pct("0.85")), "0.85")
        XCTAssertEqual(ValueFormatter.raw(.none), "")
        XCTAssertEqual(ValueFormatter.raw(.list([.string("a"), .string("b")])), "a;b")
        XCTAssertEqual(ValueFormatter.raw(.real(0.5)), "0.5")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("日本語"), 6)
        XCTAssertEqual(DisplayWidth.of("한국"), 4)
        XCTAssertEqual(DisplayWidth.of("ＡＢ"), 4)
        XCTAssertEqual(DisplayWidth.of("e\u{301}te\u{301}"), 3)          // combining acute accents
        XCTAssertEqual(DisplayWidth.of("Zürich"), 6)
        XCTAssertEqual(DisplayWidth.of("🚀"), 2)
        XCTAssertEqual(DisplayWidth.of("👩‍💻"), 2)                          // ZWJ sequence
        XCTAssertEqual(DisplayWidth.of("🇩🇪"), 2)                           // flag
        XCTAssertEqual(DisplayWidth.of("a\u{200B}b"), 2)                   // zero-width space
        XCTAssertEqual(DisplayWidth.of("–…"), 2)
    }

    func testTruncate() {
        XCTAssertEqual(DisplayWidth.truncate("Enterprise", to: 6), "Enter…")
        XCTAssertEqual(DisplayWidth.truncate("Enterprise", to: 10), "Enterprise")
        XCTAssertEqual(DisplayWidth.truncate("日本語テキスト", to: 6), "日本…")
        XCTAssertEqual(DisplayWidth.truncate("日本語テキスト", to: 5), "日本…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.truncate("日本語テキスト", to: 6)), 5)
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 0), "")
    }

    func testSanitize() {
        XCTAssertEqual(ValueFormatter.sanitized("a\nb\tc"), "a b c")
        XCTAssertEqual(ValueFormatter.sanitized("x\u{1B}[31my"), "x\u{FFFD}[31my")
        XCTAssertEqual(ValueFormatter.sanitized("plain"), "plain")
    }

    func testFormatFromExtension() {
        XCTAssertEqual(Format(fileExtensionOf: "out/big.csv"), .csv)
        XCTAssertEqual(Format(fileExtensionOf: "a.JSON"), .json)
        XCTAssertEqual(Format(fileExtensionOf: "r.md"), .md)
        XCTAssertEqual(Format(fileExtensionOf: "r.htm"), .html)
        XCTAssertNil(Format(fileExtensionOf: "r.xlsx"))
        XCTAssertNil(Format(fileExtensionOf: "dir.d/file"))
        XCTAssertNil(Format(fileExtensionOf: "noext"))
    }
}
