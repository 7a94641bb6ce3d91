// Changes in the language end to end (language.md, "Changes and history"): update, insert, delete
// and undo against a workspace, each journalled with who, when, where from and why; the bad input
// the issue lists, each a located diagnostic with its exit status and the workspace unchanged; and
// `pmo import --effective` recording an import's differences (nothing for the same file again).
import Foundation
import XCTest

final class ChangeCommandTests: XCTestCase {
    var dir: URL!

    static let people = """
    id,name,email,department
    P-0001,Dana Kim,dana@example.com,PMO
    P-0012,Sam Ortiz,sam@example.com,Finance

    """
    static let programs = """
    id,name,manager
    PRG-01,Core,P-0001
    PRG-03,Data & Analytics,P-0001

    """
    static let projects = """
    id,name,program,manager,phase,status,bac,start,finish
    PRJ-0041,CRM,PRG-01,P-0001,execution,green,500000,2026-01-05,2026-12-18
    PRJ-0042,ERP,PRG-01,P-0001,execution,amber,2000000,2026-02-02,2027-03-31

    """
    static let milestones = """
    id,project,name,due,forecast,completed
    MS-1,PRJ-0042,Design,2026-06-30,2026-06-30,2026-06-29
    MS-2,PRJ-0042,Build,2026-12-15,2026-12-20,
    MS-3,PRJ-0042,Go-live,2027-03-01,2027-03-10,
    MS-4,PRJ-0041,Launch,2026-12-01,2026-12-01,

    """
    static let risks = """
    id,project,title,probability,impact,state,owner
    RSK-0006,PRJ-0042,Vendor late,0.4,3,open,P-0001
    RSK-0007,PRJ-0042,Vendor late (again),0.4,3,open,P-0001

    """
    static let settings = "key,value\nstatus_date,2026-12-01\ncurrency,USD\n"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-change-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in [("people", Self.people), ("programs", Self.programs), ("projects", Self.projects),
                             ("milestones", Self.milestones), ("risks", Self.risks), ("settings", Self.settings)] {
            try write("in/\(name).csv", text)
        }
        let r = try pmo(["init", "ws.db", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let i = try pmo(["import", "in", "--workspace", "ws.db", "--effective", "2026-11-01", "--user", "loader", "--quiet"])
        XCTAssertEqual(i.status, 0, i.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func pmo(_ args: [String], env: [String: String] = [:]) throws -> PMOResult {
        var e = env
        if e["PMO_WORKSPACE"] == nil { e["PMO_WORKSPACE"] = "" }
        if e["PMO_USER"] == nil { e["PMO_USER"] = "tester" }
        return try PMOProcess.run(args, env: e, cwd: dir)
    }

    /// Runs statements against the test workspace as of 2026-12-01.
    func change(_ text: String, user: String? = nil) throws -> PMOResult {
        var args = ["-c", text, "--workspace", "ws.db", "--as-of", "2026-12-01"]
        if let user { args += ["--user", user] }
        return try pmo(args)
    }

    func query(_ text: String) throws -> String {
        let r = try pmo(["-c", text, "--workspace", "ws.db", "--as-of", "2026-12-01", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The journal as CSV lines without the recorded timestamp (batch,set,entity,field,old,new,effective,by,source,reason).
    func journal(_ extra: [String] = []) throws -> [String] {
        let r = try pmo(["journal", "--workspace", "ws.db", "--format", "csv"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return ChangeCommandTests.csvRecords(r.stdout).dropFirst().map { record in
            var cells = record
            if cells.count > 7 { cells.remove(at: 7) }
            return cells.joined(separator: ",")
        }
    }

    /// RFC 4180 records (quoted cells may hold commas, quotes and line breaks).
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], cells: [String] = [], cell = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let n = text.index(after: i)
                    if n < text.endIndex && text[n] == "\"" { cell.append("\""); i = n } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { cells.append(cell); cell = ""
            } else if c == "\n" || c == "\r\n" { cells.append(cell); cell = ""; records.append(cells); cells = []
            } else if c != "\r" { cell.append(c) }
            i = text.index(after: i)
        }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); records.append(cells) }
        return records
    }

    func testTheLanguageBriefsExamples() throws {
        // update project "PRJ-0042" set status = red, sponsor = person "P-0012" because "..."
        var r = try change(#"update project "PRJ-0042" set status = red, sponsor = person "P-0012" because "steering committee 2026-12-01""#,
                           user: "dana.kim")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(#"updated 1 project "PRJ-0042""#), r.stdout)
        XCTAssertEqual(try query(#"projects where id = "PRJ-0042" | select id, sponsor.id"#), "id,sponsor_id\nPRJ-0042,P-0012\n")
        let j = try journal(["--by", "dana.kim"])
        XCTAssertEqual(j, [
            "2,projects,PRJ-0042,status,amber,red,2026-12-01,dana.kim,script <command line>,steering committee 2026-12-01",
            "2,projects,PRJ-0042,sponsor,,P-0012,2026-12-01,dana.kim,script <command line>,steering committee 2026-12-01",
        ])
        // update milestones where ... set forecast = forecast + 3w because "vendor delay"
        r = try change(#"update milestones where project.id = "PRJ-0042" and completed is none set forecast = forecast + 3w because "vendor delay""#)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("updated 2 milestones"), r.stdout)
        XCTAssertEqual(try query(#"milestones where project.id = "PRJ-0042" | select id, forecast"#),
                       "id,forecast\nMS-1,2026-06-30\nMS-2,2027-01-10\nMS-3,2027-03-31\n")
        // insert projects {...} because "approved at gate G0"
        r = try change(#"insert projects {id: "PRJ-0099", name: "Data Lake", program: "PRG-03", bac: $1.2M, phase: initiation} because "approved at gate G0""#)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try query(#"projects where id = "PRJ-0099" | select id, program.id, bac, phase"#),
                       "id,program_id,bac,phase\nPRJ-0099,PRG-03,1200000.00,initiation\n")
        // delete risks where id = "RSK-0007" because "duplicate of RSK-0006"
        r = try change(#"delete risks where id = "RSK-0007" because "duplicate of RSK-0006""#)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try query("risks | select id"), "id\nRSK-0006\n")
        let rows = try journal(["--set", "risks"])
        XCTAssertEqual(rows.count, 1, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.last?.contains(",RSK-0007,*,") ?? false, rows.joined(separator: "\n"))
    }

    func testUndoRevertsThisSessionsLastChangeAsAJournalledChange() throws {
        let r = try change("""
        update project "PRJ-0042" set status = red because "steering committee"
        undo
        update project "PRJ-0042" set status = green because "recovered"
        """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("undid change 2"), r.stdout)
        XCTAssertEqual(try query(#"projects where id = "PRJ-0042" | select status"#), "status\ngreen\n")
        XCTAssertEqual(try journal(["--set", "projects", "--by", "tester"]), [
            "2,projects,PRJ-0042,status,amber,red,2026-12-01,tester,script <command line>,steering committee",
            "3,projects,PRJ-0042,status,red,amber,2026-12-01,tester,script <command line>,undo of change 2: steering committee",
            "4,projects,PRJ-0042,status,amber,green,2026-12-01,tester,script <command line>,recovered",
        ])
        // A new session has nothing of its own to undo.
        let again = try change("undo")
        XCTAssertEqual(again.status, 70)
        XCTAssertTrue(again.stderr.contains("nothing to undo"), again.stderr)
    }

    func testEffectiveDateAndAStatementAfterTheChangeSeesTheNewData() throws {
        let r = try change("""
        update projects where id = "PRJ-0041" set bac = bac + $100k because "scope added" effective 2026-11-15
        projects where id = "PRJ-0041" | select bac
        """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("600,000") || r.stdout.contains("600000"), r.stdout)
        XCTAssertEqual(try journal(["--since", "2026-11-10", "--set", "projects"]).last,
                       "2,projects,PRJ-0041,bac,500000,600000,2026-11-15,tester,script <command line>,scope added")
    }

    /// Each bad change: its exit status, a located message, and nothing written.
    func testBadChangesAreRefusedWithALocationAndChangeNothing() throws {
        let before = try journal()
        let cases: [(String, Int32, String)] = [
            (#"update project "PRJ-0042" set status = red"#, 65, "'because'"),
            (#"update project "PRJ-0042" set stauts = red because "x""#, 65, "did you mean 'status'?"),
            (#"update projcts where bac > $1 set status = red because "x""#, 65, "did you mean 'projects'?"),
            (#"update project "PRJ-0042" set bac = 5 because "x""#, 65, "'bac' is money but this is a plain number"),
            (#"update project "PRJ-0042" set status = redd because "x""#, 65, "did you mean 'red'?"),
            (#"update project "PRJ-0042" set sponsor = person "P-9999" because "x""#, 65, "no person has the id or name \"P-9999\""),
            (#"insert projects {id: "PRJ-0100", name: "X", program: "PRG-09"} because "x""#, 65, "no program has the id or name \"PRG-09\""),
            (#"insert projects {name: "X"} because "x""#, 65, "a new project needs id"),
            (#"update project "PRJ-0042" set cpi = 1 because "x""#, 65, "computed"),
            (#"update project "PRJ-0042" set id = "PRJ-1" because "x""#, 65, "is the key of projects"),
            (#"update project "PRJ-0042" set name = none because "x""#, 65, "required"),
            (#"update project "PRJ-0042" set status = red because """#, 65, "the reason is empty"),
            (#"update risks where probability > 200% set state = closed because "x""#, 70, "no risks match: nothing was changed"),
            (#"update risk "RSK-0006" set probability = 2000% because "x""#, 70, "out of range"),
            (#"insert projects {id: "PRJ-0042", name: "Again"} because "x""#, 70, "already exists"),
            (#"delete projects where id = "PRJ-0042" because "x""#, 70, "cannot be deleted: 3 milestones refer to it"),
            ("undo", 70, "nothing to undo"),
        ]
        for (text, status, message) in cases {
            let r = try change(text)
            XCTAssertEqual(r.status, status, "\(text)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(text)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains("<command line>:1:"), "\(text): no location\n\(r.stderr)")
        }
        XCTAssertEqual(try journal(), before)
        XCTAssertEqual(try query(#"projects where id = "PRJ-0042" | select status, bac"#), "status,bac\namber,2000000.00\n")
    }

    func testAReadOnlySourceRefusesChanges() throws {
        let r = try pmo(["-c", #"update project "PRJ-0042" set status = red because "x""#, "--data", "in"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("this portfolio cannot be changed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("(--data)"), r.stderr)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("ws.db"))
        let demo = try pmo(["-c", #"update project "PRJ-0001" set status = red because "x""#])
        XCTAssertEqual(demo.status, 65, demo.stderr)
        XCTAssertTrue(demo.stderr.contains("demo"), demo.stderr)
    }

    func testImportJournalsItsDifferencesOnceAndNothingForTheSameFile() throws {
        // The first import into empty sets is the starting point: nothing recorded.
        let start = try journal()
        XCTAssertEqual(start, [])
        // The same files again: nothing recorded.
        var r = try pmo(["import", "in", "--workspace", "ws.db", "--effective", "2026-11-08", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try journal(), start)
        // A week later PRJ-0042 is red and its bac grew; PRJ-0043 is new.
        try write("w2/projects.csv", """
        id,name,program,manager,phase,status,bac,start,finish
        PRJ-0041,CRM,PRG-01,P-0001,execution,green,500000,2026-01-05,2026-12-18
        PRJ-0042,ERP,PRG-01,P-0001,execution,red,2100000,2026-02-02,2027-03-31
        PRJ-0043,BI,PRG-03,P-0001,initiation,green,90000,2026-12-01,2027-06-30

        """)
        r = try pmo(["import", "w2/projects.csv", "--workspace", "ws.db", "--effective", "2026-11-08", "--user", "loader", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let added = Array(try journal().dropFirst(start.count))
        XCTAssertEqual(added.count, 3, added.joined(separator: "\n"))
        XCTAssertEqual(Array(added.prefix(2)), [
            "2,projects,PRJ-0042,status,amber,red,2026-11-08,loader,import w2/projects.csv,import",
            "2,projects,PRJ-0042,bac,2000000,2100000,2026-11-08,loader,import w2/projects.csv,import",
        ])
        XCTAssertTrue(added.last?.hasPrefix("2,projects,PRJ-0043,*,,PRJ-0043,BI,") ?? false, added.joined(separator: "\n"))
    }
}
