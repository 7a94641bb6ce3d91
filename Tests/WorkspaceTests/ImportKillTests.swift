// A journalled import killed with SIGKILL at random moments: the workspace and its journal hold the
// whole batch or none of it (data and journal always agree), and running the same import again gives
// exactly the state of an uninterrupted run. Uses the built `pmo` binary (skips, saying so, without it).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite(.serialized) struct ImportKillTests {
    @Test(.enabled(if: PMOBinary.path != nil, "needs the built pmo binary (swift build)"))
    func killedJournalledImportIsWholeOrNothingAndARerunFinishesIt() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        // A portfolio in the workspace, then another seed's (every set differs: a batch of about 8,000
        // entries written in one transaction with the data).
        for seed in ["4", "5"] {
            let r = try PMOBinary.run(["generate", "--size", "tiny", "--seed", seed, "--out", dir.file("m\(seed)"), "--quiet"], cwd: dir.path)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let base = dir.file("base.db")
        #expect(try PMOBinary.run(["init", base, "--quiet"], cwd: dir.path).status == 0)
        let first = try PMOBinary.run(["import", dir.file("m4"), "--workspace", base, "--effective", "2026-11-13", "--quiet"], cwd: dir.path)
        #expect(first.status == 0, "\(first.stderr)")
        try Workspace.open(path: base, readOnly: false).close()
        let before = try WorkspaceState.digest(base)
        let args = { (ws: String) in ["import", dir.file("m5"), "--workspace", ws, "--effective", "2026-11-20", "--user", "loader", "--quiet"] }

        let full = dir.file("full.db")
        try FileManager.default.copyItem(atPath: base, toPath: full)
        let started = Date()
        let r = try PMOBinary.run(args(full), cwd: dir.path)
        let duration = Date().timeIntervalSince(started)
        #expect(r.status == 0, "the full run failed: \(r.stderr)")
        let after = try WorkspaceState.digest(full)
        #expect(after["journal"] != before["journal"], "the full run journalled nothing, so a kill proves nothing")
        #expect(try batches(full) == batches(base) + 1)

        var generator = SystemRandomNumberGenerator()
        var killedBefore = 0
        for i in 0..<8 {
            let fraction = Double.random(in: 0.05...0.95, using: &generator)
            let path = dir.file("kill-\(i).db")
            try FileManager.default.copyItem(atPath: base, toPath: path)
            let running = try PMOBinary.start(args(path), cwd: dir.path)
            Thread.sleep(forTimeInterval: duration * fraction)
            kill(running.process.processIdentifier, SIGKILL)
            running.process.waitUntilExit()
            #expect(try WorkspaceState.integrity(path) == ["ok"], "kill at \(fraction) of the run")
            let state = try WorkspaceState.digest(path)
            if state == before {
                if running.process.terminationReason == .uncaughtSignal { killedBefore += 1 }
            } else if state != after {
                let differ = state.keys.filter { state[$0] != before[$0] && state[$0] != after[$0] }.sorted()
                Issue.record("kill at \(fraction) of the run left neither the state before nor after (tables \(differ))")
            }
            // The same import again finishes what was killed (or records nothing when it had committed).
            let again = try PMOBinary.run(args(path), cwd: dir.path)
            #expect(again.status == 0, "rerun after a kill at \(fraction): \(again.stderr)")
            #expect(try WorkspaceState.digest(path) == after, "rerun after a kill at \(fraction) differs from the uninterrupted run")
        }
        #expect(killedBefore >= 1, "no kill landed before the commit (full run \(duration) s)")
    }

    func batches(_ path: String) throws -> Int {
        let ws = try Workspace.open(path: path, readOnly: true)
        defer { try? ws.close() }
        return try ws.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal_batches") ?? 0 }
    }
}
