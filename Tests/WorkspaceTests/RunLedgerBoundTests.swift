// The run ledger keeps a run's message short (issue 19: a 200 MB token quoted in an error message
// was stored whole and grew a workspace from 17 MB to 227 MB).
import Foundation
import Testing
@testable import Workspace
import TestSupport

@Suite struct RunLedgerBoundTests {
    @Test func messagesAreCutAtACharacterAndMarked() {
        #expect(RunLedgerLimits.bounded("short") == "short")
        let exact = String(repeating: "a", count: RunLedgerLimits.messageBytes)
        #expect(RunLedgerLimits.bounded(exact) == exact)
        let accents = String(repeating: "é", count: 5_000)  // two bytes each
        let cut = RunLedgerLimits.bounded(accents)
        #expect(cut.utf8.count <= RunLedgerLimits.messageBytes)
        #expect(cut.hasSuffix(" more bytes)"))
        #expect(cut.hasPrefix(String(repeating: "é", count: 100)))
        #expect(!cut.contains("\u{FFFD}"))
    }

    @Test func aHugeMessageIsStoredBounded() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try Workspace.create(path: dir.file("l.db"))
        let huge = "l.pmo:1: line 1 is 209715200 bytes long (it starts '" + String(repeating: "x", count: 20_000_000) + "')"
        let id = try ws.beginRun(script: "l.pmo", scheduledFor: nil, asOf: nil, started: "2026-11-20T10:00:00Z", host: "h",
                                 pid: 1, processTag: nil)
        try ws.finishRun(id: id, asOf: nil, durationMs: 1, status: .failed, exitCode: 65, counts: FindingCounts(), message: huge)
        try ws.recordLockedRun(script: "l.pmo", scheduledFor: nil, started: "2026-11-20T10:01:00Z", host: "h", pid: 2, message: huge)
        let runs = try ws.runs()
        #expect(runs.count == 2)
        for r in runs {
            #expect((r.message?.utf8.count ?? 0) <= RunLedgerLimits.messageBytes, "\(r.message?.utf8.count ?? 0)")
            #expect(r.message?.hasPrefix("l.pmo:1: line 1 is 209715200 bytes long") == true)
        }
        try ws.close()
        let size = try FileManager.default.attributesOfItem(atPath: dir.file("l.db"))[.size] as? Int ?? 0
        #expect(size < 2_000_000, "the workspace grew to \(size) bytes")
    }
}

extension RunLedgerBoundTests {
    /// End to end: `pmo run` of a script holding a 5 MB token, on a workspace: refused at once, and
    /// its ledger row quotes a short prefix; the workspace does not grow by the token.
    @Test(.enabled(if: PMOBinary.path != nil || TestEnvironment.isCI, "needs the built pmo binary (swift build); in CI it must be there"))
    func aHugeTokenLeavesAShortLedgerRow() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try demoWorkspace(dir, name: "ws.db").close()
        let before = try FileManager.default.attributesOfItem(atPath: dir.file("ws.db"))[.size] as? Int ?? 0
        try dir.write("big.pmo", "count(projects where name = \"" + String(repeating: "x", count: 5_000_000) + "\")\n")
        let started = Date()
        let r = try BinaryRunner.run(["run", "big.pmo", "--workspace", "ws.db"], cwd: dir.path, timeout: 60)
        #expect(r.status == 65, "\(r.stderr.prefix(300))")
        #expect(r.stderr.utf8.count < 600)
        #expect(Date().timeIntervalSince(started) < 20)
        let ws = try Workspace.open(path: dir.file("ws.db"), readOnly: true)
        let runs = try ws.runs()
        #expect(runs.count == 1)
        #expect(runs.first?.status == .failed)
        #expect((runs.first?.message?.utf8.count ?? 0) < 600, "\(runs.first?.message?.utf8.count ?? 0)")
        try ws.close()
        let after = try FileManager.default.attributesOfItem(atPath: dir.file("ws.db"))[.size] as? Int ?? 0
        #expect(after < before + 1_000_000, "the workspace grew from \(before) to \(after) bytes")
    }
}
