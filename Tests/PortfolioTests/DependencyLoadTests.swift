// Dependencies and holidays as CSV: lag units, self-links and missing ends refused where they are
// written, holidays and the critical_float setting.
import Testing
import PMOBase
import Portfolio

@Suite struct DependencyLoadTests {
    static let base: [String: String] = [
        "projects.csv": "id,name,start\nP1,Plan,2026-01-05\n",
        "tasks.csv": "id,project,name,start,finish\nT1,P1,A,2026-01-05,2026-01-09\nT2,P1,B,2026-01-12,2026-01-13\n",
    ]
    static func with(_ deps: String, _ extra: [String: String] = [:]) -> [String: String] {
        var f = base
        f["dependencies.csv"] = deps
        for (k, v) in extra { f[k] = v }
        return f
    }

    @Test func businessDayLagsSetTheUnit() throws {
        let s = try Fixture.load(DependencyLoadTests.with("from,to,type,lag\nT1,T2,FS,2bd\nT2,T1,SS,-3d\n"))
        let d = s.table(.dependency)
        #expect(d.column("lag")?.ints == [2, -3])
        #expect(d.column("lag_unit")?.smalls == [1, Column.noneSmall])  // bd; none is elapsed days
    }

    @Test(arguments: [
        ("from,to,type,lag\nT1,T1,FS,0d\n", LoadError(file: "dependencies.csv", line: 2, column: 4,
                                                      message: "'T1' depends on itself: a dependency needs two different ends")),
        ("from,to,type,lag\nT1,T9,FS,0d\n", LoadError(file: "dependencies.csv", line: 2, column: 4,
                                                      message: "unknown project or task 'T9' in column to")),
        ("from,to,type,lag\nT1,T2,FS,xbd\n", LoadError(file: "dependencies.csv", line: 2, column: 10,
                                                       message: "invalid lag 'xbd' in column lag (expected days such as 2d, 2bd or -1bd)")),
        ("from,to,type,lag,lag_unit\nT1,T2,FS,2bd,d\n", LoadError(file: "dependencies.csv", line: 2, column: 10,
                                                                  message: "the lag is in business days (bd) but column lag_unit says 'd'")),
    ])
    func badLinksAreRefusedWhereTheyAreWritten(deps: String, expected: LoadError) throws {
        #expect(try Fixture.error(DependencyLoadTests.with(deps)) == expected)
    }

    @Test func holidaysAndTheCriticalFloatSetting() throws {
        let s = try Fixture.load(DependencyLoadTests.with("from,to,type,lag\nT1,T2,FS,0d\n", [
            "holidays.csv": "date,name\n2026-01-12,Company day\n2026-01-10,A Saturday\n",
            "settings.csv": "key,value\ncritical_float,2\n",
        ]))
        #expect(s.table(.holiday).count == 2)
        #expect(s.workCalendar.holidays.count == 1)  // the Saturday changes nothing
        #expect(s.criticalFloat == 2)
        let sched = s.schedules(asOf: Day(iso: "2026-01-01")!)
        #expect(sched.tasks[1]?.earlyStart.description == "2026-01-13")
        #expect(try Fixture.error(DependencyLoadTests.with("from,to\n", ["settings.csv": "key,value\ncritical_float,-1\n"]))?.message
                == "invalid critical_float '-1' (expected whole working days from 0 to 10000)")
    }
}
