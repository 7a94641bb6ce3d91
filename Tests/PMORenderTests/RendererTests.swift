import XCTest
import Foundation
import PMOBase
import Portfolio
import PMORuntime
@testable import PMORender

final class RendererTests: XCTestCase {
    func fixed(_ s: String) -> Fixed { Fixed(parsing: Substring(s)) ?? .zero }
    func day(_ s: String) -> Value { Day(iso: Substring(s)).map(Value.date) ?? .none }

    /// id, name, status, bac, spi, done, finish, sponsor.
    var sample: ResultTable {
        ResultTable(columns: [
            ResultColumn(name: "id", kind: .text),
            ResultColumn(name: "name", kind: .text),
            ResultColumn(name: "status", kind: .rag),
            ResultColumn(name: "bac", kind: .money),
            ResultColumn(name: "spi", kind: .number),
            ResultColumn(name: "done", kind: .percent),
            ResultColumn(name: "finish", kind: .date),
            ResultColumn(name: "sponsor", kind: .text),
        ], rows: [
            [.string("PRJ-001"), .string("ERP, phase \"1\""), .enumeration(.rag, 2), .money(fixed("1500000"), currency: "USD"),
             .real(0.8712), .percent(fixed("0.85")), day("2026-11-22"), .none],
            [.string("PRJ-002"), .string("Zürich | Web"), .enumeration(.rag, 0), .money(fixed("250000.5"), currency: "USD"),
             .real(1.05), .percent(fixed("0.125")), .none, .string("Ann")],
        ])
    }

    func testTerminalTable() {
        let out = Renderer(format: .table, color: false, width: nil).render(sample)
        XCTAssertEqual(out, """
        ┌─────────┬────────────────┬────────┬───────────────┬──────┬───────┬────────────┬─────────┐
        │ id      │ name           │ status │           bac │  spi │  done │ finish     │ sponsor │
        ├─────────┼────────────────┼────────┼───────────────┼──────┼───────┼────────────┼─────────┤
        │ PRJ-001 │ ERP, phase "1" │ red    │ $1,500,000.00 │ 0.87 │   85% │ 2026-11-22 │ –       │
        │ PRJ-002 │ Zürich | Web   │ green  │   $250,000.50 │ 1.05 │ 12.5% │ –          │ Ann     │
        └─────────┴────────────────┴────────┴───────────────┴──────┴───────┴────────────┴─────────┘
        (2 rows)

        """)
        XCTAssertFalse(out.contains("\u{1B}"))
    }

    func testSingleRowFooterAndEmptyTable() {
        let t = ResultTable(columns: [ResultColumn(name: "n", kind: .number)], rows: [[.int(7)]])
        XCTAssertEqual(Renderer(format: .table, color: false, width: nil).render(t), """
        ┌───┐
        │ n │
        ├───┤
        │ 7 │
        └───┘
        (1 row)

        """)
        let empty = ResultTable(columns: [ResultColumn(name: "id", kind: .text)], rows: [])
        XCTAssertTrue(Renderer(format: .table, color: false, width: nil).render(empty).hasSuffix("(0 rows)\n"))
    }

    func testColorOnlyWhenAsked() {
        let plain = Renderer(format: .table, color: false, width: nil).render(sample)
        let colored = Renderer(format: .table, color: true, width: nil).render(sample)
        XCTAssertFalse(plain.contains("\u{1B}["))
        XCTAssertTrue(colored.contains("\u{1B}[31mred\u{1B}[0m"))
        XCTAssertTrue(colored.contains("\u{1B}[32mgreen\u{1B}[0m"))
        // Stripping the escapes gives back the plain layout.
        let stripped = colored.replacingOccurrences(of: "\u{1B}[31m", with: "")
            .replacingOccurrences(of: "\u{1B}[32m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
        XCTAssertEqual(stripped, plain)
        // Other formats never colour.
        XCTAssertFalse(Renderer(format: .csv, color: true, width: nil).render(sample).contains("\u{1B}"))
    }

    func testWideCharactersAlign() {
        let t = ResultTable(columns: [ResultColumn(name: "name", kind: .text), ResultColumn(name: "n", kind: .number)],
                            rows: [[.string("日本語"), .int(1)], [.string("abc"), .int(22)], [.string("e\u{301}e\u{301}"), .int(3)]])
        let out = Renderer(format: .table, color: false, width: nil).render(t)
        XCTAssertEqual(out, """
        ┌────────┬────┐
        │ name   │  n │
        ├────────┼────┤
        │ 日本語 │  1 │
        │ abc    │ 22 │
        │ e\u{301}e\u{301}     │  3 │
        └────────┴────┘
        (3 rows)

        """)
        let lines = out.split(separator: "\n").dropLast()
        for l in lines { XCTAssertEqual(DisplayWidth.of(String(l)), 15, String(l)) }
    }

    func testTruncationShrinksWidestTextFirst() {
        let t = ResultTable(columns: [
            ResultColumn(name: "id", kind: .text), ResultColumn(name: "name", kind: .text), ResultColumn(name: "bac", kind: .money),
        ], rows: [[.string("PRJ-001"), .string("Enterprise resource planning rollout"), .money(fixed("1500000"), currency: "USD")]])
        let out = Renderer(format: .table, color: false, width: 40).render(t)
        for l in out.split(separator: "\n") where l.hasPrefix("│") || l.hasPrefix("┌") {
            XCTAssertEqual(DisplayWidth.of(String(l)), 40, String(l))
        }
        // Money shortens before the name is cut; the id stays whole.
        XCTAssertTrue(out.contains("│ PRJ-001 │ Enterprise resour… │ $1.5M │"), out)
    }

    func testShortMoney() {
        let cases: [(String, String, String)] = [
            ("12000000", "USD", "$12.0M"), ("950000", "USD", "$950k"), ("1250000000", "EUR", "€1.3B"),
            ("800", "USD", "$800"), ("-2500000", "USD", "-$2.5M"), ("1500", "CHF", "2k CHF"), ("999.5", "GBP", "£1000"),
        ]
        for (amount, currency, expected) in cases {
            XCTAssertEqual(ValueFormatter.shortMoney(fixed(amount), currency: currency), expected, amount)
        }
    }

    func testIdentifiersAreCutLast() {
        let t = ResultTable(columns: [
            ResultColumn(name: "id", kind: .text), ResultColumn(name: "name", kind: .text), ResultColumn(name: "notes", kind: .text),
        ], rows: [[.string("PRJ-0001"), .string("SAP S/4HANA Finance Rollout"), .string("Steering committee moved the go-live twice")]])
        let out = Renderer(format: .table, color: false, width: 50).render(t)
        XCTAssertTrue(out.contains("│ PRJ-0001 │ SAP S/4HANA Finance Rollout │ Stee… │"), out)
    }

    func testTruncationKeepsDatesAndCodesWhileProseFits() {
        let t = ResultTable(columns: [
            ResultColumn(name: "id", kind: .text), ResultColumn(name: "project", kind: .text),
            ResultColumn(name: "name", kind: .text), ResultColumn(name: "due", kind: .date),
        ], rows: [[.string("MS-0089"), .string("PRJ-0021"), .string("Biocompatibility test report approved"), day("2026-10-16")]])
        let out = Renderer(format: .table, color: false, width: 50).render(t)
        XCTAssertTrue(out.contains("│ MS-0089 │ PRJ-0021 │ Biocompatib… │ 2026-10-16 │"), out)
        // Far too narrow: every column gives way, none below three columns, nothing crashes.
        let tiny = Renderer(format: .table, color: false, width: 10).render(t)
        XCTAssertTrue(tiny.contains("│ MS… │"), tiny)
    }

    func testCSV() {
        let out = Renderer(format: .csv, color: false, width: nil).render(sample)
        XCTAssertEqual(out,
            "id,name,status,bac,spi,done,finish,sponsor\r\n" +
            "PRJ-001,\"ERP, phase \"\"1\"\"\",red,1500000.00,0.8712,0.85,2026-11-22,\r\n" +
            "PRJ-002,Zürich | Web,green,250000.50,1.05,0.125,,Ann\r\n")
        XCTAssertEqual(CSVWriter.field("a\nb"), "\"a\nb\"")
        XCTAssertEqual(CSVWriter.field(" pad"), "\" pad\"")
    }

    func testJSON() {
        let out = Renderer(format: .json, color: false, width: nil).render(sample)
        XCTAssertEqual(out, """
        [
          {"id": "PRJ-001", "name": "ERP, phase \\"1\\"", "status": "red", "bac": {"amount": 1500000.00, "currency": "USD"}, \
        "spi": 0.8712, "done": 0.85, "finish": "2026-11-22", "sponsor": null},
          {"id": "PRJ-002", "name": "Zürich | Web", "status": "green", "bac": {"amount": 250000.50, "currency": "USD"}, \
        "spi": 1.05, "done": 0.125, "finish": null, "sponsor": "Ann"}
        ]

        """)
        XCTAssertEqual(JSONWriter.string("tab\there\u{01}\u{2028}é\\"), "\"tab\\there\\u0001\\u2028é\\\\\"")
        XCTAssertEqual(Renderer(format: .json, color: false, width: nil)
            .render(ResultTable(columns: [ResultColumn(name: "x", kind: .text)], rows: [])), "[]\n")
        XCTAssertEqual(JSONWriter.number(.nan), "null")
        XCTAssertEqual(JSONWriter.number(2), "2")
    }

    func testJSONIsParseable() throws {
        let r = Renderer(format: .json, color: false, width: nil)
        let doc = r.document([.table(sample), .scalar(.int(3)), .text("done\n\"ok\"")])
        let parsed = try JSONSerialization.jsonObject(with: Data(doc.utf8))
        let array = try XCTUnwrap(parsed as? [Any])
        XCTAssertEqual(array.count, 3)
        XCTAssertEqual(array[1] as? Int, 3)
        XCTAssertEqual(array[2] as? String, "done\n\"ok\"")
        let rows = try XCTUnwrap(array[0] as? [[String: Any]])
        XCTAssertEqual((rows[0]["bac"] as? [String: Any])?["currency"] as? String, "USD")
        XCTAssertEqual((rows[0]["bac"] as? [String: Any])?["amount"] as? Double, 1_500_000)
        XCTAssertTrue(rows[0]["sponsor"] is NSNull)
        // A script's one output is still an array of results; one statement's result (`-c`) is not wrapped.
        XCTAssertEqual(r.document([.scalar(.percent(fixed("0.85")))]), "[\n  0.85\n]\n")
        var one = r
        one.jsonShape = .result
        XCTAssertEqual(one.document([.scalar(.percent(fixed("0.85")))]), "0.85\n")
        XCTAssertEqual(one.document([]), "[]\n")
    }

    func testMarkdown() {
        let out = Renderer(format: .md, color: true, width: nil).render(sample)
        XCTAssertEqual(out, """
        | id | name | status | bac | spi | done | finish | sponsor |
        | --- | --- | --- | ---: | ---: | ---: | --- | --- |
        | PRJ-001 | ERP, phase "1" | red | $1,500,000.00 | 0.87 | 85% | 2026-11-22 | – |
        | PRJ-002 | Zürich \\| Web | green | $250,000.50 | 1.05 | 12.5% | – | Ann |

        """)
        XCTAssertEqual(MarkdownWriter.cell("a|b\nc<d>"), "a\\|b<br>c&lt;d>")
    }

    func testHTML() {
        let t = ResultTable(columns: [ResultColumn(name: "name<x>", kind: .text), ResultColumn(name: "bac", kind: .money),
                                      ResultColumn(name: "status", kind: .rag)],
                            rows: [[.string("<script>alert('x')</script> & co"), .money(fixed("5"), currency: "EUR"), .enumeration(.rag, 1)]])
        let page = Renderer(format: .html, color: true, width: nil).document([.table(t), .text("Note: 1 < 2")])
        XCTAssertTrue(page.hasPrefix("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        XCTAssertTrue(page.contains("<th>name&lt;x&gt;</th><th class=\"num\">bac</th><th>status</th>"))
        XCTAssertTrue(page.contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</td>"))
        XCTAssertTrue(page.contains("<td class=\"num\">€5.00</td>"))
        XCTAssertTrue(page.contains("<span class=\"rag-amber\">amber</span>"))
        XCTAssertTrue(page.contains("<pre class=\"text\">Note: 1 &lt; 2</pre>"))
        XCTAssertTrue(page.contains("<p class=\"rows\">1 row</p>"))
        XCTAssertTrue(page.hasSuffix("</body>\n</html>\n"))
        XCTAssertFalse(page.contains("<script>"))
        XCTAssertFalse(page.contains("http"))
    }

    func testDocumentSeparators() {
        let small = ResultTable(columns: [ResultColumn(name: "n", kind: .number)], rows: [[.int(1)]])
        let csv = Renderer(format: .csv, color: false, width: nil).document([.table(small), .table(small)])
        XCTAssertEqual(csv, "n\r\n1\r\n\nn\r\n1\r\n")
        let text = Renderer(format: .table, color: false, width: nil)
            .document([.text("a"), .text("b"), .scalar(.money(fixed("2"), currency: "USD")), .table(small), .text("c")])
        XCTAssertEqual(text, "a\nb\n$2.00\n\n┌───┐\n│ n │\n├───┤\n│ 1 │\n└───┘\n(1 row)\n\nc\n")
        let md = Renderer(format: .md, color: false, width: nil).document([.text("Title"), .table(small)])
        XCTAssertEqual(md, "Title\n\n| n |\n| ---: |\n| 1 |\n")
        XCTAssertEqual(Renderer(format: .json, color: false, width: nil).document([]), "[]\n")
        XCTAssertEqual(Renderer(format: .table, color: false, width: nil).document([]), "")
    }

    func testScalarLines() {
        let red = Value.enumeration(.rag, 2)
        XCTAssertEqual(Renderer(format: .table, color: true, width: nil).render(red), "\u{1B}[31mred\u{1B}[0m\n")
        XCTAssertEqual(Renderer(format: .table, color: false, width: nil).render(red), "red\n")
        XCTAssertEqual(Renderer(format: .table, color: false, width: nil).render(Value.none), "none\n")
        XCTAssertEqual(Renderer(format: .csv, color: false, width: nil).render(Value.none), "\r\n")
        XCTAssertEqual(Renderer(format: .json, color: false, width: nil).render(Value.none), "null\n")
        XCTAssertEqual(Renderer(format: .json, color: false, width: nil).render(.money(fixed("1.5"), currency: "EUR")),
                       "{\"amount\": 1.50, \"currency\": \"EUR\"}\n")
    }

    func testHostileCellTextCannotBreakTheTable() {
        let t = ResultTable(columns: [ResultColumn(name: "x", kind: .text)], rows: [[.string("a\nb\u{1B}[2J")]])
        let out = Renderer(format: .table, color: false, width: nil).render(t)
        XCTAssertFalse(out.contains("\u{1B}"))
        XCTAssertEqual(out.split(separator: "\n").count, 6)
    }
}

final class WrapAndExpandedTests: XCTestCase {
    let t = ResultTable(columns: [ResultColumn(name: "id", kind: .text), ResultColumn(name: "notes", kind: .text)],
                        rows: [[.string("PRJ-0001"), .string("Steering committee moved the go-live twice this year")]])

    func testWrapKeepsEveryWordWithinTheWidth() {
        var r = Renderer(format: .table, color: false, width: 40)
        r.wrap = true
        let out = r.render(t)
        for l in out.split(separator: "\n") where l.hasPrefix("│") { XCTAssertEqual(DisplayWidth.of(String(l)), 40, out) }
        XCTAssertTrue(out.contains("│ PRJ-0001 │ Steering committee moved  │"), out)
        XCTAssertTrue(out.contains("│          │ the go-live twice this    │"), out)
        XCTAssertTrue(out.contains("│          │ year                      │"), out)
        XCTAssertFalse(out.contains("…"), out)
    }

    func testExpandedRecords() {
        var r = Renderer(format: .table, color: false, width: 30)
        r.expanded = true
        let out = r.render(t)
        XCTAssertEqual(out, """
        -[ 1 ]------------------------
        id    │ PRJ-0001
        notes │ Steering committee
              │ moved the go-live
              │ twice this year
        (1 row)

        """)
    }
}
