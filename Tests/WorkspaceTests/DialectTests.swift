// Issue 14, CSV dialects and mappings: separators (detected or --delimiter), --date-format,
// --decimal-comma, the map file's ignore/values/people lines, every problem in one run with the
// place in the original file, and --dry-run writing nothing.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct DialectTests {
    @Test(arguments: [
        ("DD/MM/YYYY", "22/11/2026", "2026-11-22"),
        ("DD/MM/YYYY", "29/02/2028", "2028-02-29"),
        ("MM/DD/YYYY", "11/22/2026", "2026-11-22"),
        ("D.M.YYYY", "2.3.2026", "2026-03-02"),
        ("DD/MMM/YY h:mm a", "22/Nov/26 10:15 AM", "2026-11-22"),
        ("DD/MMM/YY h:mm a", "04/dec/26 12:00 pm", "2026-12-04"),
        ("YYYY-MM-DD HH:mm:ss", "2026-11-22 23:59:59", "2026-11-22"),
        ("D MMM YYYY", "5 September 2026", "2026-09-05"),
    ])
    func datePatternsRead(_ pattern: String, _ cell: String, _ iso: String) throws {
        guard case .success(let f) = DateFormat.parse(pattern) else { Issue.record("pattern \(pattern) refused"); return }
        #expect(f.day(cell)?.description == iso)
    }

    @Test(arguments: [
        ("DD/MM/YYYY", "31/11/2026"), ("DD/MM/YYYY", "22/11/26"), ("DD/MM/YYYY", "2026-11-22x"), ("DD/MM/YYYY", "22/13/2026"),
        ("DD/MMM/YY h:mm a", "22/Nov/26 13:15 PM"), ("DD/MMM/YY h:mm a", "22/Noo/26 10:15 AM"), ("DD/MM/YYYY", ""),
        ("DD/MM/YYYY", "99999999999999999999/11/2026"),
    ])
    func datePatternsRefuse(_ pattern: String, _ cell: String) throws {
        guard case .success(let f) = DateFormat.parse(pattern) else { Issue.record("pattern \(pattern) refused"); return }
        #expect(f.day(cell) == nil)
    }

    @Test(arguments: ["", "QQ", "DD/MM", "MM/YYYY", "YYY-MM-DD", "DDD/MM/YYYY"])
    func badPatternsAreRefused(_ pattern: String) {
        if case .success = DateFormat.parse(pattern) { Issue.record("pattern '\(pattern)' accepted") }
    }

    @Test(arguments: [
        ("1.234,56", "1234.56"), ("12,5%", "12.5%"), ("1.234.567", "1234567"), ("-1.234", "-1234"), ("0,5", "0.5"),
        ("1 234,5", "1234.5"), ("1\u{A0}234,5", "1234.5"), ("42", "42"),
    ])
    func decimalCommas(_ cell: String, _ plain: String) { #expect(DialectCSV.decimalComma(cell) == plain) }

    @Test(arguments: ["1.5", "1,2,3", "1.23,4", "1.2345", "1,234.5", ".5"])
    func pointsThatAreNotThousandsAreRefused(_ cell: String) { #expect(DialectCSV.decimalComma(cell) == nil) }

    @Test(arguments: [
        ("id,name;x\n", UInt8(44)), ("id;name;email\n", 59), ("id\tname\n", 9), ("\"a;b\",c\n", 44), ("id\n", 44),
        ("\"a,b\";c;d\nx,y,z,w\n", 59),
    ])
    func separatorsAreDetectedFromTheHeader(_ text: String, _ sep: UInt8) { #expect(CSVDialect.detect(Array(text.utf8)) == sep) }

    @Test func theMapFileReadsEveryKindOfLine() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let m = try ColumnMap.load(path: try dir.write("x.map", """
            # comment
            Issue key -> id
              Priority   ->  severity
            ignore: Reporter, "Labels, misc"
            ignore: *
            severity: Highest=critical, "Very, very high"=critical
            state: "In Progress"=in_progress
            people: owner
            date-format: DD/MMM/YY h:mm a
            delimiter: tab
            decimal-comma: yes
            """))
        #expect(m.renames == ["Issue key": "id", "Priority": "severity"])
        #expect(m.ignored == ["Reporter", "Labels, misc"])
        #expect(m.ignoreOthers)
        #expect(m.values["severity"] == ["Highest": "critical", "Very, very high": "critical"])
        #expect(m.values["state"] == ["In Progress": "in_progress"])
        #expect(m.people == ["owner"])
        #expect(m.dialect == CSVDialect(separator: 9, dateFormat: try DateFormat.parse("DD/MMM/YY h:mm a").get(), decimalComma: true))
        // The from,to CSV form still renames.
        let legacy = try ColumnMap.load(path: try dir.write("m.csv", "from,to\nIssue key,id\n"))
        #expect(legacy.renames == ["Issue key": "id"] && legacy.renamesOnly)
    }

    @Test func everyMistakeInAMapFileIsReportedWithItsPlace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = try dir.write("bad.map", "a ->\nsevrity: a=b\nstate: In Progress\ndate-format: QQ\ndelimiter: ab\ndecimal-comma: maybe\nnonsense\n")
        let e = failure { () throws(WorkspaceError) in try ColumnMap.load(path: path) }
        #expect(e?.problems.map { "\($0.line):\($0.column)" } == ["1:1", "2:1", "3:8", "4:14", "5:12", "6:16", "7:1"])
        #expect(e?.problems[1].message.contains("did you mean 'severity'?") == true)
    }

    /// A European Excel file: `;`, day-first dates, decimal commas, a byte-order mark, CRLF.
    @Test func aEuropeanExcelFileImportsInOneRun() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let issues = try dir.write("issues.csv", "\u{FEFF}id;project;title;severity;state;owner;opened;due;resolved\r\n"
                                   + "ISS-0901;PRJ-0001;Données incomplètes;high;open;P-013;22/11/2026;04/12/2026;\r\n")
        let projects = try dir.write("projects.csv", "id;bac\r\nPRJ-0001;12.500.000,50\r\n")
        // Without the dialect: one problem per cell, every one of them, with hints.
        let plain = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [issues, projects])) }
        #expect(plain?.problems.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.column)" }
                == ["issues.csv:2:55", "issues.csv:2:66", "projects.csv:2:10"])
        #expect(plain?.problems[0].message.contains("--date-format") == true)
        #expect(plain?.problems[2].message.contains("--decimal-comma") == true)
        let dialect = CSVDialect(dateFormat: try DateFormat.parse("DD/MM/YYYY").get(), decimalComma: true)
        let s = try ws.importFiles(ImportRequest(paths: [issues, projects], dialect: dialect))
        #expect(s.description == "projects: 1 changed; issues: 1 new")
        let store = try ws.loadStore(cache: .never)
        let r = try #require(store.find(.issue, key: "ISS-0901"))
        #expect(store.table(.issue).column("opened").map { Day(raw: $0.codes[Int(r)]).description } == "2026-11-22")
        #expect(store.table(.issue).column("title")?.string(Int(r)) == "Données incomplètes")
        let p = try #require(store.find(.project, key: "PRJ-0001"))
        #expect(store.table(.project).column("bac")?.ints[Int(p)] == 125_000_005_000)
        #expect(store.table(.project).column("name")?.string(Int(p)) == "SAP S/4HANA Finance Rollout")
        // The same files again change nothing.
        #expect(try ws.importFiles(ImportRequest(paths: [issues, projects], dialect: dialect)).changedRows == 0)
    }

    @Test func aDryRunChecksEverythingAndWritesNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let before = snapshot(try ws.loadStore(cache: .never))
        let generation = try ws.read { db in try DataGeneration.read(db) }
        let journal = try ws.journal().count
        let file = try dir.write("projects.csv", "id,bac\nPRJ-0001,1\nPRJ-0002,2\n")
        let s = try ws.importFiles(ImportRequest(paths: [file], dryRun: true))
        #expect(s.changed[.project] == 2)
        #expect(snapshot(try ws.loadStore(cache: .never)) == before)
        #expect(try ws.read { db in try DataGeneration.read(db) } == generation)
        #expect(try ws.journal().count == journal)
    }
}
