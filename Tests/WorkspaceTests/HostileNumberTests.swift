// Issue 14: MS Project numbers beyond what pmo stores are clear errors with file:line:col, never a
// trap, and the workspace is unchanged after each refusal.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct HostileNumberTests {
    static func project(resource: String = "", task: String = "") -> String {
        """
        <?xml version="1.0"?>
        <Project xmlns="http://schemas.microsoft.com/project">
        <Tasks>
        <Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>\(task)</Task>
        </Tasks>
        <Resources>
        <Resource><UID>1</UID><Name>Kim</Name><Type>1</Type>\(resource)</Resource>
        </Resources>
        </Project>

        """
    }

    @Test(arguments: [
        (project(task: "\n<Cost>922337203685477999999</Cost>"), 5, "the number '922337203685477999999' in <Cost> is beyond the range pmo stores exactly"),
        (project(task: "\n<Cost>92233720368547758.9999</Cost>"), 5, "is beyond the range pmo stores exactly"),
        (project(resource: "\n<StandardRate>922337203685477.9999</StandardRate>"), 8, "the number '922337203685477.9999' in <StandardRate> is beyond the range"),
        (project(resource: "\n<StandardRate>922337203685477</StandardRate><StandardRateFormat>1</StandardRateFormat>"), 8, "StandardRate out of range"),
        (project(resource: "\n<MaxUnits>9223372036854775807</MaxUnits>"), 8, "is beyond the range pmo stores exactly"),
        (project(resource: "\n<MaxUnits>922337203685477</MaxUnits>"), 8, "MaxUnits out of range"),
        (project(task: "\n<Work>PT9223372036854775807H0M0S</Work>"), 5, "invalid duration"),
        (project(task: "\n<Cost>-</Cost>"), 5, "invalid number '-' in <Cost>"),
    ])
    func numbersBeyondTheRangeAreErrors(_ c: (String, Int, String)) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let before = snapshot(try ws.loadStore())
        let path = try dir.write("plan.xml", c.0)
        let e = try #require(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [path], project: "PRJ-0001")) })
        #expect(e.kind == .badData)
        #expect(e.location?.line == c.1, "\(e.description)")
        #expect(e.message.contains(c.2), "\(e.description)")
        #expect(snapshot(try ws.loadStore()) == before)
    }

    @Test func calendarNumbersBeyondADayOrAWeekAreErrors() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        for text in ["<MinutesPerWeek>9223372036854775807</MinutesPerWeek>", "<MinutesPerDay>1441</MinutesPerDay>", "<DaysPerMonth>0</DaysPerMonth>"] {
            let path = try dir.write("cal.xml", "<Project xmlns=\"http://schemas.microsoft.com/project\">\(text)\n<Resources><Resource><UID>1</UID><Name>K</Name>"
                                     + "<StandardRate>10</StandardRate><StandardRateFormat>4</StandardRateFormat></Resource></Resources></Project>\n")
            let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [path], project: "PRJ-0001")) }
            #expect(e?.message.contains("are out of range") == true, "\(e?.description ?? "imported")")
        }
    }
}
