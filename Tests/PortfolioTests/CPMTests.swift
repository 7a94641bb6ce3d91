// The critical path method against hand-computed values (every link type, business and elapsed lags,
// positive and negative, a summary task, progress, holidays) and its diagnostics on bad input.
import Testing
import PMOBase
import Portfolio

@Suite struct CPMTests {
    static func d(_ s: String) -> Day { Day(iso: Substring(s))! }

    struct Row { var id: String; var parent: String?; var start: String?; var finish: String?; var percent: Int64? = nil }
    struct Link { var from: String; var to: String; var type: LinkType; var lag = 0; var elapsed = false }

    static func run(_ rows: [Row], _ links: [Link], start: String = "2026-01-05", asOf: String = "2026-01-01",
                    holidays: [String] = [], threshold: Int = 0) -> (CPMResult, [String: Int]) {
        var index: [String: Int] = [:]
        for (i, r) in rows.enumerated() { index[r.id] = i }
        let tasks = rows.map { r in
            CPMTask(id: r.id, parent: Int32(r.parent.flatMap { index[$0] } ?? -1), start: r.start.map(d), finish: r.finish.map(d),
                    percent: r.percent)
        }
        let ls = links.map { l in
            CPMLink(from: Int32(index[l.from] ?? -1), to: Int32(index[l.to] ?? -1), type: l.type, lag: l.lag, elapsed: l.elapsed)
        }
        let input = CPMInput(tasks: tasks, links: ls, projectStart: d(start), asOf: d(asOf), threshold: threshold,
                             calendar: WorkCalendar(holidays: holidays.map(d)))
        return (CPM.schedule(input), index)
    }

    /// The network of grammar.md's worked example. Ordinals: Mon 01-05 = 0 ... Fri 01-23 = 14.
    static let network: [Row] = [
        Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-09"),  // 5bd
        Row(id: "B", parent: nil, start: "2026-01-12", finish: "2026-01-16"),  // 5bd
        Row(id: "C", parent: nil, start: "2026-01-14", finish: "2026-01-16"),  // 3bd
        Row(id: "D", parent: nil, start: "2026-01-05", finish: "2026-01-06"),  // 2bd
        Row(id: "E", parent: nil, start: "2026-01-14", finish: "2026-01-16"),  // 3bd
        Row(id: "F", parent: nil, start: "2026-01-13", finish: "2026-01-14"),  // 2bd
        Row(id: "G", parent: nil, start: "2026-01-26", finish: "2026-01-26"),  // 1bd, planned late on purpose
        Row(id: "H", parent: nil, start: "2026-01-16", finish: "2026-01-19"),  // 2bd across a weekend
        Row(id: "S", parent: nil, start: nil, finish: nil),                    // summary of X and Y
        Row(id: "X", parent: "S", start: "2026-02-02", finish: "2026-02-03"),  // 2bd
        Row(id: "Y", parent: "S", start: "2026-02-04", finish: "2026-02-04"),  // 1bd
    ]
    static let links: [Link] = [
        Link(from: "A", to: "B", type: .fs),
        Link(from: "A", to: "C", type: .fs, lag: 2),
        Link(from: "A", to: "D", type: .ss),
        Link(from: "B", to: "E", type: .ff),
        Link(from: "B", to: "F", type: .sf, lag: 3),
        Link(from: "C", to: "G", type: .fs, lag: 2, elapsed: true),
        Link(from: "B", to: "H", type: .fs, lag: -1),
        Link(from: "G", to: "S", type: .fs),
        Link(from: "X", to: "Y", type: .fs),
    ]

    /// (early start, early finish, late start, late finish, total float, free float, critical), by hand.
    static let expected: [String: (String, String, String, String, Int, Int, Bool)] = [
        "A": ("2026-01-05", "2026-01-09", "2026-01-05", "2026-01-09", 0, 0, true),   // 5bd from Monday ends Friday
        "B": ("2026-01-12", "2026-01-16", "2026-01-15", "2026-01-21", 3, 0, false),  // FS: the next working day, Monday
        "C": ("2026-01-14", "2026-01-16", "2026-01-14", "2026-01-16", 0, 0, true),   // FS + 2bd: Wednesday
        "D": ("2026-01-05", "2026-01-06", "2026-01-21", "2026-01-22", 12, 12, false), // SS: the same day
        "E": ("2026-01-14", "2026-01-16", "2026-01-20", "2026-01-22", 4, 4, false),  // FF: finishes the same day as B
        "F": ("2026-01-13", "2026-01-14", "2026-01-21", "2026-01-22", 6, 6, false),  // SF + 3bd: B's start + 3 = end of Wed
        "G": ("2026-01-19", "2026-01-19", "2026-01-19", "2026-01-19", 0, 0, true),   // FS + 2 elapsed: Fri end + 2d = Sun → Mon
        "H": ("2026-01-16", "2026-01-19", "2026-01-21", "2026-01-22", 3, 3, false),  // FS - 1bd: Friday
        "S": ("2026-01-20", "2026-01-22", "2026-01-20", "2026-01-22", 0, 0, true),   // rolled up from X and Y
        "X": ("2026-01-20", "2026-01-21", "2026-01-20", "2026-01-21", 0, 0, true),   // after G through S
        "Y": ("2026-01-22", "2026-01-22", "2026-01-22", "2026-01-22", 0, 0, true),
    ]

    @Test func handComputedNetwork() {
        let (r, index) = CPMTests.run(CPMTests.network, CPMTests.links)
        #expect(r.problems.isEmpty)
        for (id, e) in CPMTests.expected {
            guard let t = r.tasks[index[id]!] else { Issue.record("\(id) not scheduled"); continue }
            #expect(t.earlyStart.description == e.0, "\(id) early start")
            #expect(t.earlyFinish.description == e.1, "\(id) early finish")
            #expect(t.lateStart.description == e.2, "\(id) late start")
            #expect(t.lateFinish.description == e.3, "\(id) late finish")
            #expect(t.totalFloat == e.4, "\(id) total float")
            #expect(t.freeFloat == e.5, "\(id) free float")
            #expect(t.critical == e.6, "\(id) critical")
        }
        #expect(r.finish?.description == "2026-01-22")
        #expect(r.criticalPath.map { CPMTests.network[Int($0)].id } == ["A", "C", "G", "X", "Y"])
    }

    @Test func thresholdWidensTheCriticalSet() {
        let (r, _) = CPMTests.run(CPMTests.network, CPMTests.links, threshold: 3)
        #expect(r.criticalPath.map { CPMTests.network[Int($0)].id } == ["A", "B", "C", "H", "G", "X", "Y"])
    }

    @Test func calendarSkipsWeekendsAndHolidays() {
        let cal = WorkCalendar(holidays: [CPMTests.d("2026-01-07"), CPMTests.d("2026-01-10")])  // a Wednesday and a Saturday
        #expect(cal.holidays.count == 1)
        #expect(cal.workingDays(from: CPMTests.d("2026-01-05"), through: CPMTests.d("2026-01-09")) == 4)
        let o = cal.ordinal(CPMTests.d("2026-01-06"))
        #expect(cal.day(o + 1)?.description == "2026-01-08")
        #expect(cal.ordinal(CPMTests.d("2026-01-10")) == cal.ordinal(CPMTests.d("2026-01-12")))
        #expect(!cal.isWorking(CPMTests.d("2026-01-07")) && cal.isWorking(CPMTests.d("2026-01-08")))
        for raw in Int32(20_000)...Int32(20_100) {  // day(ordinal(d)) is d's next working day
            let day = Day(raw: raw)
            var next = day
            while !cal.isWorking(next) { next = next.adding(days: 1)! }
            #expect(cal.day(cal.ordinal(day)) == next)
        }
    }

    @Test func holidaysMoveSuccessors() {
        let rows = [Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-09"),
                    Row(id: "B", parent: nil, start: "2026-01-13", finish: "2026-01-14")]
        let (r, _) = CPMTests.run(rows, [Link(from: "A", to: "B", type: .fs)], holidays: ["2026-01-07", "2026-01-12"])
        #expect(r.tasks[0]?.earlyFinish.description == "2026-01-09")  // 4 working days, Monday to Friday
        #expect(r.tasks[1]?.earlyStart.description == "2026-01-13")    // Monday is a holiday
        #expect(r.tasks[1]?.earlyFinish.description == "2026-01-14")
    }

    @Test func progressKeepsActualDates() {
        let rows = [Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-09", percent: 10_000),
                    Row(id: "B", parent: nil, start: "2026-01-13", finish: "2026-01-19", percent: 5_000),
                    Row(id: "C", parent: nil, start: "2026-01-12", finish: "2026-01-12"),
                    Row(id: "D", parent: nil, start: "2026-01-05", finish: "2026-01-05")]
        let links = [Link(from: "A", to: "B", type: .fs), Link(from: "A", to: "C", type: .fs)]
        let (r, _) = CPMTests.run(rows, links, asOf: "2026-01-14")
        #expect(r.tasks[0]?.earlyStart.description == "2026-01-05")
        #expect(r.tasks[0]?.lateFinish.description == "2026-01-09")
        #expect(r.tasks[0]?.critical == false && r.tasks[0]?.totalFloat == 0)
        #expect(r.tasks[1]?.earlyStart.description == "2026-01-13")   // started: keeps its start
        #expect(r.tasks[1]?.earlyFinish.description == "2026-01-19")
        #expect(r.tasks[2]?.earlyStart.description == "2026-01-14")   // not started: no earlier than the as-of date
        #expect(r.tasks[3]?.earlyStart.description == "2026-01-14")   // no predecessor: the as-of date, later than the start
        #expect(r.finish?.description == "2026-01-19")
    }

    /// Remaining work is scheduled from the status date; finished successors do not hold predecessors back.
    @Test func remainingWorkAndActualSuccessors() {
        let rows = [Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-09", percent: 4_000),   // 5bd, 40% done
                    Row(id: "D", parent: nil, start: "2026-01-05", finish: "2026-01-06", percent: 10_000),  // done
                    Row(id: "B", parent: nil, start: "2026-01-12", finish: "2026-01-30")]                    // 15bd
        let links = [Link(from: "A", to: "D", type: .ss), Link(from: "A", to: "B", type: .fs)]
        let (r, _) = CPMTests.run(rows, links, asOf: "2026-01-14")
        // 3 working days remain from Wednesday 14: Wednesday, Thursday, Friday.
        #expect(r.tasks[0]?.earlyStart.description == "2026-01-05")
        #expect(r.tasks[0]?.earlyFinish.description == "2026-01-16")
        #expect(r.tasks[2]?.earlyStart.description == "2026-01-19")
        // A drives B, so it is critical, but not because of the finished D (whose SS link is history).
        #expect(r.tasks[0]?.critical == true)
        let (alone, _) = CPMTests.run(Array(rows.prefix(2)) + [Row(id: "C", parent: nil, start: "2026-01-05", finish: "2026-02-27")],
                                      [Link(from: "A", to: "D", type: .ss)], asOf: "2026-01-14")
        #expect(alone.tasks[0]?.critical == false && (alone.tasks[0]?.totalFloat ?? 0) > 0, "\(String(describing: alone.tasks[0]))")
    }

    @Test func cycleIsReportedWhole() {
        let rows = ["A", "B", "C", "D"].map { Row(id: $0, parent: nil, start: "2026-01-05", finish: "2026-01-06") }
        let links = [Link(from: "D", to: "A", type: .fs), Link(from: "A", to: "B", type: .fs),
                     Link(from: "B", to: "C", type: .ss), Link(from: "C", to: "A", type: .ff)]
        let (r, _) = CPMTests.run(rows, links)
        #expect(r.tasks.allSatisfy { $0 == nil })
        let p = r.problems.first { $0.fatal }
        #expect(p?.cycle == ["A", "B", "C", "A"])
        #expect(p?.message == "dependency cycle: A → B → C → A")
    }

    @Test func summaryLinkedToItsOwnChildIsACycle() {
        let rows = [Row(id: "S", parent: nil, start: nil, finish: nil),
                    Row(id: "X", parent: "S", start: "2026-01-05", finish: "2026-01-06")]
        let (r, _) = CPMTests.run(rows, [Link(from: "S", to: "X", type: .fs)])
        #expect(r.problems.first?.message.hasPrefix("dependency cycle (through a summary task and a task under it): ") == true)
    }

    @Test(arguments: [
        ([Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-06")], [Link(from: "A", to: "A", type: .fs)],
         "task A depends on itself (FS link from A to A)"),
        ([Row(id: "A", parent: nil, start: "2026-01-09", finish: "2026-01-05")], [],
         "task A finishes (2026-01-05) before it starts (2026-01-09): a negative duration"),
        ([Row(id: "A", parent: nil, start: "2026-01-05", finish: nil)], [],
         "task A has no finish date, so its duration is unknown"),
        ([Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-06"), Row(id: "B", parent: nil, start: "2026-01-05", finish: "2026-01-06")],
         [Link(from: "A", to: "B", type: .fs, lag: 200_000)],
         "the lag of the FS + 200000bd link from A to B is out of range (at most 100000 days)"),
    ])
    func badInputIsAFatalDiagnostic(rows: [Row], links: [Link], message: String) {
        let (r, _) = CPMTests.run(rows, links)
        #expect(r.problems.map(\.message) == [message])
        #expect(r.problems.allSatisfy(\.fatal) && r.tasks.allSatisfy { $0 == nil })
    }

    @Test func lagLongerThanTheProjectIsAWarning() {
        let rows = [Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-06"),
                    Row(id: "B", parent: nil, start: "2026-01-07", finish: "2026-01-08")]
        let (r, _) = CPMTests.run(rows, [Link(from: "A", to: "B", type: .fs, lag: 400, elapsed: true)])
        #expect(r.problems.map(\.message) == ["the lag of the FS + 400d link from A to B is longer than the whole project (4 working days)"])
        #expect(r.problems.allSatisfy { !$0.fatal })
        #expect(r.tasks[1]?.earlyStart.description == "2027-02-11")
    }

    @Test func holidaysCoveringAYearStopTheSchedule() {
        var all: [String] = []
        var day = CPMTests.d("2027-01-01")
        while day <= CPMTests.d("2027-12-31") { all.append(day.description); day = day.adding(days: 1)! }
        let rows = [Row(id: "A", parent: nil, start: "2026-01-05", finish: "2026-01-06")]
        let (r, _) = CPMTests.run(rows, [], holidays: all)
        #expect(r.problems.first?.message.hasPrefix("the holidays set leaves no working day from 2027-01-01 to 2027-12-31") == true)
        #expect(r.tasks[0] == nil)
    }

    /// A long chain runs in time linear in its length (no quadratic walk, no recursion depth).
    @Test func longChainIsLinear() {
        let n = 50_000
        let rows = (0..<n).map { Row(id: "T\($0)", parent: nil, start: "2026-01-05", finish: "2026-01-05") }
        let links = (1..<n).map { Link(from: "T\($0 - 1)", to: "T\($0)", type: .fs) }
        let (r, _) = CPMTests.run(rows, links)
        #expect(r.criticalPath.count == n)
        #expect(r.tasks[n - 1]?.totalFloat == 0)
    }
}
