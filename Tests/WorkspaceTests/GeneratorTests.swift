// The synthetic portfolio generator: the same seed gives the same bytes, and what it writes loads.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct GeneratorTests {
    func files(_ dir: String) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) { out[name] = bytes(dir + "/" + name) }
        return out
    }

    @Test func theSameSeedGivesTheSameBytes() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let a = try PortfolioGenerator.generate(size: .tiny, seed: 42, into: dir.file("a"))
        _ = try PortfolioGenerator.generate(size: .tiny, seed: 42, into: dir.file("b"))
        _ = try PortfolioGenerator.generate(size: .tiny, seed: 43, into: dir.file("c"))
        let fa = try files(dir.file("a")), fb = try files(dir.file("b")), fc = try files(dir.file("c"))
        #expect(fa.count == EntityKind.allCases.count + 1)
        let same = fa == fb, different = fa["projects.csv"] != fc["projects.csv"]
        #expect(same, "the same seed gave different files")
        #expect(different, "another seed gave the same projects")
        #expect(a["projects"] == 8)
        #expect(a["status_reports"] == 8 * 12)
    }

    @Test func tinyLoadsAndHasTheSkewRulesLookFor() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        _ = try PortfolioGenerator.generate(size: .tiny, seed: 7, into: dir.path)
        let store = try PortfolioLoader.load(directory: dir.path)
        #expect(store.table(.project).count == 8)
        #expect(store.table(.milestone).count == 40)
        #expect(store.table(.resource).count == 25)
        #expect(store.statusDate == PortfolioGenerator.statusDate)
        // It goes through a workspace unchanged.
        let ws = try Workspace.create(path: dir.file("t.db"))
        try ws.importFiles(ImportRequest(paths: [dir.path]))
        #expect(snapshot(try ws.loadStore()) == snapshot(store))
    }

    @Test func mediumIsTheSizeItSays() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let counts = try PortfolioGenerator.generate(size: .medium, seed: 1, into: dir.path)
        let store = try PortfolioLoader.load(directory: dir.path)
        #expect(store.table(.project).count == 100)
        #expect(store.table(.milestone).count == 2_000)
        #expect(store.table(.resource).count == 1_000)
        #expect(store.table(.risk).count == 400 && store.table(.issue).count == 400)
        #expect(store.table(.statusReport).count == 100 * 52)
        let ts = store.table(.timesheet).count
        #expect(ts == counts["timesheets"])
        #expect(ts > 200_000 && ts < 300_000)
        let alloc = store.table(.allocation).count
        #expect(alloc > 1_200 && alloc < 1_800)
        // Skew: projects without a sponsor, zero-capacity resources, reports without actuals.
        let sponsor = try #require(store.table(.project).column("sponsor"))
        #expect((0..<100).contains { sponsor.isNone($0) })
        let capacity = try #require(store.table(.resource).column("capacity"))
        #expect(capacity.ints.contains(0))
        let ac = try #require(store.table(.statusReport).column("ac"))
        #expect(ac.ints.contains(0))
    }
}
