// Creating, opening and migrating workspaces, and the store round trip.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct WorkspaceTests {
    @Test func demoRoundTripsThroughAWorkspace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let demo = try PortfolioLoader.load(directory: Paths.demo)
        let ws = try Workspace.create(path: dir.file("p.db"))
        let summary = try ws.importStore(demo, replace: true)
        #expect(summary.inserted[.project] == demo.table(.project).count)
        let back = try ws.loadStore()
        #expect(snapshot(back) == snapshot(demo))
        for k in EntityKind.allCases { #expect(back.table(k).count == demo.table(k).count, "\(k.setName)") }
    }
}
