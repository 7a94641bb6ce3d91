// Loading CSV directories: values of every field type, settings, and errors with file, line and column.
import Testing
import PMOBase
import Portfolio

@Suite struct LoaderTests {
    @Test func loadsEveryFieldType() throws {
        let s = try Fixture.load(Fixture.with([
            "projects.csv": "\u{FEFF}id,name,program,portfolio,manager,state,status,priority,start,bac,contingency,tags\r\n"
                + "PRJ-1,\"ERP core, phase 1\",PRG-1,PF1,P1,Active,green,80,2026-01-05,\"$1,500,000.50\",-250.25,erp; finance ;\r\n"
                + "PRJ-2,Portal,,,,,,,,,,\r\n",
            "tasks.csv": "id,project,parent,name,percent_complete,work\nT2,PRJ-1,T1,Child,85%,12.5\nT1,PRJ-1,,Parent,0.4,\n",
            "milestones.csv": "id,project,name,due,key\nM1,PRJ-1,Go live,2026-06-30,yes\nM2,PRJ-2,Kick-off,,0\n",
            "dependencies.csv": "from,to,type,lag\nT1,T2,FS,2w\nPRJ-1,PRJ-2,ss,-3d\n",
        ]))
        let p = s.table(.project)
        #expect(p.count == 2)
        #expect(s.currency == "EUR")
        #expect(p.column("name")?.string(0) == "ERP core, phase 1")
        #expect(p.column("program")?.codes == [0, -1])
        #expect(p.column("state")?.smalls == [3, Column.noneSmall])
        #expect(p.column("priority")?.ints[0] == 80)
        #expect(p.column("priority")?.isNone(1) == true)
        #expect(p.column("start")?.codes[0] == day("2026-01-05").raw)
        #expect(p.column("start")?.isNone(1) == true)
        #expect(p.column("bac")?.ints[0] == money("1500000.50").units)
        #expect(p.column("contingency")?.ints[0] == -2_502_500)
        #expect(p.column("code")?.isNone(0) == true) // absent column: none everywhere
        let tags = p.column("tags")
        #expect(tags?.lists[0].map { tags?.pool[$0] } == ["erp", "finance"])
        #expect(tags?.lists[1] == [])
        let t = s.table(.task)
        #expect(t.column("parent")?.codes == [1, -1])
        #expect(t.column("percent_complete")?.ints == [8_500, 4_000])
        #expect(t.column("work")?.ints[0] == 125_000)
        #expect(t.column("work")?.isNone(1) == true)
        #expect(s.table(.milestone).column("key")?.smalls == [1, 0])
        let d = s.table(.dependency)
        #expect(d.column("lag")?.ints == [14, -3])
        #expect(d.column("type")?.smalls == [0, 1])
        #expect(s.find(.project, key: "PRJ-2") == 1)
        #expect(s.find(.project, key: "Portal") == 1)
        #expect(s.table(.timesheet).count == 0) // no file: empty set
    }

    @Test func manyLongIdsResolve() throws {
        // Ids longer than 16 bytes and enough of them to grow the id index several times.
        let n = 3000
        var people = "id,name\n", projects = "id,name,manager,sponsor\n"
        for i in 0..<n { people += "PERSON-WITH-A-LONG-IDENTIFIER-\(i),Person \(i)\n" }
        for i in 0..<n {
            projects += "PRJ-\(i),Project \(i),PERSON-WITH-A-LONG-IDENTIFIER-\((i * 7) % n),PERSON-WITH-A-LONG-IDENTIFIER-\(n - 1 - i)\n"
        }
        let s = try Fixture.load(["people.csv": people, "projects.csv": projects])
        let manager = s.table(.project).column("manager"), sponsor = s.table(.project).column("sponsor")
        #expect((0..<n).allSatisfy { manager?.codes[$0] == Int32(($0 * 7) % n) && sponsor?.codes[$0] == Int32(n - 1 - $0) })
        #expect(s.find(.person, key: "PERSON-WITH-A-LONG-IDENTIFIER-2999") == 2999)
        try expectError(["people.csv": people + "PERSON-WITH-A-LONG-IDENTIFIER-17,Again\n"],
                        LoadError(file: "people.csv", line: n + 2, column: 1,
                                  message: "duplicate id 'PERSON-WITH-A-LONG-IDENTIFIER-17' on lines 19 and \(n + 2)"))
    }

    @Test func settingsAndDefaults() throws {
        let s = try Fixture.load(Fixture.with([
            "settings.csv": "key,value\ncurrency,GBP\nfiscal_year_start,4\nstatus_date,2026-03-31\ngreen_threshold,0.97\namber_threshold,92%\n",
            "portfolios.csv": "id,name,owner,currency\nPF1,Enterprise,P1,GBP\n",
        ]))
        #expect(s.currency == "GBP")
        #expect(s.fiscalYearStartMonth == 4)
        #expect(s.statusDate == day("2026-03-31"))
        #expect(s.thresholds == StatusThresholds(green: 0.97, amber: 0.92))
        let bare = try Fixture.load(["people.csv": "id,name\nP1,Ada\n"])
        #expect(bare.currency == "USD")
        #expect(bare.statusDate == nil)
        #expect(bare.fiscalYearStartMonth == 1)
    }

    @Test func projectRowsCarryStatusReports() throws {
        let s = try Fixture.load(Fixture.with([
            "projects.csv": "id,name,bac,status_date,pv,ev,ac\nPRJ-1,A,1000,2026-02-27,400,300,360\nPRJ-2,B,500,,,,\n",
            "status_reports.csv": "project,as_of,overall,pv,ev,ac\nPRJ-1,2026-01-30,amber,100,90,95\n",
        ]))
        let r = s.table(.statusReport)
        #expect(r.count == 2)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-03-01")) == 1)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-02-01")) == 0)
        #expect(s.latestStatusReport(project: 1, asOf: day("2026-03-01")) == nil)
        let f = s.evm(project: 0, asOf: day("2026-03-01"))
        #expect(f.pv == money("400") && f.ev == money("300") && f.ac == money("360"))
        #expect(r.column("overall")?.isNone(1) == true)
    }

    @Test func missingDirectory() {
        #expect(throws: LoadError(file: "/nonexistent/pmo", line: 0, column: 0, message: "no such directory")) {
            _ = try PortfolioLoader.load(directory: "/nonexistent/pmo")
        }
    }

    @Test func errorDescription() {
        let e = LoadError(file: "dir/projects.csv", line: 3, column: 7, message: "invalid date '2026-02-30' in column start")
        #expect(e.description == "dir/projects.csv:3:7: error: invalid date '2026-02-30' in column start")
        #expect(LoadError(file: "d", line: 0, column: 0, message: "no such directory").description == "d: error: no such directory")
    }

    func expectError(_ files: [String: String], _ expected: LoadError, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let e = try Fixture.error(files)
        #expect(e == expected, sourceLocation: sourceLocation)
    }

    @Test func missingRequiredColumn() throws {
        try expectError(Fixture.with(["projects.csv": "id,program\nPRJ-1,PRG-1\n"]),
                        LoadError(file: "projects.csv", line: 1, column: 1, message: "missing required column 'name'"))
    }

    @Test func missingRequiredValue() throws {
        try expectError(Fixture.with(["milestones.csv": "id,project,name\nM1,PRJ-1,Go live\nM2,,Kick-off\n"]),
                        LoadError(file: "milestones.csv", line: 3, column: 4, message: "missing value for required column 'project'"))
    }

    @Test func badDate() throws {
        try expectError(Fixture.with(["projects.csv": "id,name,start\nPRJ-1,A,2026-01-05\nPRJ-2,B,2026-02-30\n"]),
                        LoadError(file: "projects.csv", line: 3, column: 9,
                                  message: "invalid date '2026-02-30' in column start (expected YYYY-MM-DD)"))
        try expectError(Fixture.with(["projects.csv": "id,name,start\nPRJ-1,A,05/01/2026\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9,
                                  message: "invalid date '05/01/2026' in column start (expected YYYY-MM-DD; pmo import reads other formats with --date-format, as in DD/MM/YYYY)"))
    }

    @Test func duplicateId() throws {
        try expectError(Fixture.with(["people.csv": "id,name\nP1,Ada\nP2,Grace\nP1,Alan\n"]),
                        LoadError(file: "people.csv", line: 4, column: 1, message: "duplicate id 'P1' on lines 2 and 4"))
    }

    @Test func danglingReference() throws {
        try expectError(Fixture.with(["projects.csv": "id,name,program\nPRJ-1,A,PRG-1\nPRJ-2,B,PRG-9\n"]),
                        LoadError(file: "projects.csv", line: 3, column: 9, message: "unknown program 'PRG-9' in column program"))
        try expectError(Fixture.with(["tasks.csv": "id,project,parent,name\nT1,PRJ-1,T7,A\n"]),
                        LoadError(file: "tasks.csv", line: 2, column: 10, message: "unknown task 'T7' in column parent"))
        try expectError(Fixture.with(["dependencies.csv": "from,to\nPRJ-1,PRJ-7\n"]),
                        LoadError(file: "dependencies.csv", line: 2, column: 7, message: "unknown project or task 'PRJ-7' in column to"))
    }

    @Test func parentCycle() throws {
        try expectError(Fixture.with(["tasks.csv": "id,project,parent,name\nT3,PRJ-1,T1,C\nT1,PRJ-1,T2,A\nT2,PRJ-1,T1,B\n"]),
                        LoadError(file: "tasks.csv", line: 3, column: 10, message: "cycle in column parent: task 'T1' would be above itself"))
        try expectError(Fixture.with(["tasks.csv": "id,project,parent,name\nT1,PRJ-1,T1,A\n"]),
                        LoadError(file: "tasks.csv", line: 2, column: 10, message: "cycle in column parent: task 'T1' would be above itself"))
    }

    @Test func unknownEnumValue() throws {
        try expectError(Fixture.with(["projects.csv": "id,name,state\nPRJ-1,A,actve\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9,
                                  message: "unknown value 'actve' in column state; did you mean 'active'?"))
        try expectError(Fixture.with(["projects.csv": "id,name,status\nPRJ-1,A,purple\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9,
                                  message: "unknown value 'purple' in column status (expected one of: green, amber, red)"))
    }

    @Test func unknownHeader() throws {
        try expectError(Fixture.with(["projects.csv": "id,nmae\nPRJ-1,A\n"]),
                        LoadError(file: "projects.csv", line: 1, column: 4,
                                  message: "unknown column 'nmae' in projects.csv; did you mean 'name'?"))
        try expectError(Fixture.with(["settings.csv": "key,value\ncurency,EUR\n"]),
                        LoadError(file: "settings.csv", line: 2, column: 1, message: "unknown setting 'curency'; did you mean 'currency'?"))
    }

    @Test func emptyHeaderName() throws {
        try expectError(Fixture.with(["people.csv": "id,name,\nP1,Ada,\n"]),
                        LoadError(file: "people.csv", line: 1, column: 9, message: "empty column name in the header of people.csv"))
    }

    @Test func overflow() throws {
        try expectError(Fixture.with(["projects.csv": "id,name,priority\nPRJ-1,A,99999999999999999999\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9,
                                  message: "integer '99999999999999999999' out of range in column priority"))
        try expectError(Fixture.with(["projects.csv": "id,name,bac\nPRJ-1,A,1000000000000000\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9,
                                  message: "amount '1000000000000000' out of range in column bac"))
    }

    @Test func badNumbersAndFlags() throws {
        try expectError(Fixture.with(["projects.csv": "id,name,bac\nPRJ-1,A,12k\n"]),
                        LoadError(file: "projects.csv", line: 2, column: 9, message: "invalid amount '12k' in column bac"))
        try expectError(Fixture.with(["milestones.csv": "id,project,name,key\nM1,PRJ-1,A,maybe\n"]),
                        LoadError(file: "milestones.csv", line: 2, column: 12,
                                  message: "invalid boolean 'maybe' in column key (expected true, false, yes, no, 1 or 0)"))
        try expectError(Fixture.with(["changes.csv": "id,project,schedule_impact\nC1,PRJ-1,3mo\n"]),
                        LoadError(file: "changes.csv", line: 2, column: 10,
                                  message: "invalid duration '3mo' in column schedule_impact (expected days such as 14d, 2w or 14)"))
    }

    @Test func rowWidth() throws {
        try expectError(Fixture.with(["people.csv": "id,name\nP1,Ada,extra\n"]),
                        LoadError(file: "people.csv", line: 2, column: 8, message: "too many cells: the header has 2 columns, this row has 3"))
        try expectError(Fixture.with(["people.csv": "id,name\nP1\n"]),
                        LoadError(file: "people.csv", line: 2, column: 3, message: "missing cells: the header has 2 columns, this row has 1"))
    }

    @Test func malformedCSV() throws {
        try expectError(Fixture.with(["people.csv": "id,name\nP1,\"Ada\n"]),
                        LoadError(file: "people.csv", line: 2, column: 4, message: "unterminated quoted field"))
    }

    @Test func badSettings() throws {
        try expectError(Fixture.with(["settings.csv": "key,value\nfiscal_year_start,13\n"]),
                        LoadError(file: "settings.csv", line: 2, column: 19,
                                  message: "invalid fiscal_year_start '13' (expected a month number from 1 to 12)"))
        try expectError(Fixture.with(["settings.csv": "key,value\ncurrency,euro\n"]),
                        LoadError(file: "settings.csv", line: 2, column: 10,
                                  message: "invalid currency 'euro' (expected an ISO 4217 code such as USD or EUR)"))
        try expectError(Fixture.with(["settings.csv": "key,value\nstatus_date,2026-13-01\n"]),
                        LoadError(file: "settings.csv", line: 2, column: 13,
                                  message: "invalid date '2026-13-01' in status_date (expected YYYY-MM-DD)"))
    }
}

@Suite struct LoaderRangeTests {
    @Test func percentagesAreFractionsOrSigned() throws {
        let ok = try Fixture.load(Fixture.with(["risks.csv": "id,project,probability\nR1,PRJ-1,0.85\nR2,PRJ-1,85%\nR3,PRJ-1,1\n"]))
        #expect(ok.table(.risk).count == 3)
        for bad in ["250", "10.5", "-0.1", "2000%"] {
            let e = try Fixture.error(Fixture.with(["risks.csv": "id,project,probability\nR1,PRJ-1,\(bad)\n"]))
            #expect(e?.message.contains("out of range") == true, "\(bad): \(String(describing: e))")
        }
    }

    @Test func negativeHoursAreRefused() throws {
        let e = try Fixture.error(Fixture.with(["resources.csv": "id,name,capacity\nR1,Kim,-40\n"]))
        #expect(e?.message.contains("negative hours") == true)
    }

    @Test func aPortfolioInAnotherCurrencyIsRefused() throws {
        let e = try Fixture.error(Fixture.with([
            "settings.csv": "key,value\ncurrency,USD\n",
            "portfolios.csv": "id,name,currency\nPF1,One,USD\nPF2,Two,EUR\n",
        ]))
        #expect(e?.line == 3)
        #expect(e?.message.contains("currency 'EUR'") == true)
    }
}
