// PMOCron tested directly, without the binary: whether a script is due (a table of cases), the lock
// per workspace and script (held, stale, refused paths), the watchdog (timeout, its failure, the hard
// stop handed to the host), and a run's ledger rows.
import Foundation
import Testing
import PMOBase
import PMOSyntax
import PMORuntime
import Workspace
@testable import PMOCron

private func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-cron-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func instant(_ iso: String) -> Int64 { CivilTime.parseISO(iso) ?? -1 }

private func record(started: String, scheduledFor: String? = nil, status: RunStatus = .ok, pid: Int32 = 1) -> RunRecord {
    RunRecord(id: 1, script: "/s/weekly.pmo", scheduledFor: scheduledFor, asOf: nil, started: started, durationMs: 10,
              status: status, exitCode: 0, counts: FindingCounts(), host: "h", pid: pid, processTag: nil, message: nil)
}

@Suite struct DueTests {
    static let weekly = [try? CronSchedule(parsing: "0 7 * * MON")].compactMap { $0 }

    /// (what, last run, now, still running?, due?, reason contains)
    static let cases: [(String, RunRecord?, String, Bool, Bool, String)] = [
        ("never run", nil, "2026-11-23T08:00:00Z", false, true, "never run"),
        ("ran for this Monday's slot", record(started: "2026-11-23T07:00:05Z", scheduledFor: "2026-11-23T07:00:00Z"),
         "2026-11-23T09:00:00Z", false, false, "nothing new"),
        ("last ran a week ago", record(started: "2026-11-16T07:00:05Z", scheduledFor: "2026-11-16T07:00:00Z"),
         "2026-11-23T07:01:00Z", false, true, "due again"),
        ("machine off for three Mondays: runs once", record(started: "2026-11-02T07:00:05Z", scheduledFor: "2026-11-02T07:00:00Z"),
         "2026-11-23T07:30:00Z", false, true, "due again"),
        ("still running", record(started: "2026-11-16T07:00:05Z", status: .running, pid: 42), "2026-11-23T07:01:00Z", true, false, "still running"),
        ("a dead run marked running does not block", record(started: "2026-11-16T07:00:05Z", status: .running, pid: 42),
         "2026-11-23T07:01:00Z", false, true, "due again"),
        ("clock set back behind the last run", record(started: "2026-11-30T07:00:05Z", scheduledFor: "2026-11-30T07:00:00Z"),
         "2026-11-23T07:01:00Z", false, true, "clock is behind"),
        ("manual run after the slot counts", record(started: "2026-11-23T07:10:00Z"), "2026-11-23T08:00:00Z", false, false, "nothing new"),
    ]

    @Test(arguments: 0..<cases.count)
    func decide(_ i: Int) {
        let c = Self.cases[i]
        let d = Due.decide(Self.weekly, last: c.1, now: instant(c.2), zone: FixedZone(0), alive: { _ in c.3 })
        switch d {
        case .due(let slot, let reason):
            #expect(c.4, "\(c.0): due (\(reason)) but expected not")
            #expect(reason.contains(c.5), "\(c.0): \(reason)")
            #expect(slot <= instant(c.2) && slot > instant(c.2) - 7 * 86_400, "\(c.0): the latest slot")
        case .notDue(let reason):
            #expect(!c.4, "\(c.0): not due (\(reason)) but expected due")
            #expect(reason.contains(c.5), "\(c.0): \(reason)")
        }
    }

    @Test func aScriptWithoutASlotIsNotDue() {
        // A day that never comes is refused when parsed, so only a script without schedules has no slot.
        #expect((try? CronSchedule(parsing: "0 0 30 2 *")) == nil)
        #expect(Due.decide([], last: nil, now: instant("2026-11-23T07:00:00Z"), zone: FixedZone(0), alive: { _ in false })
                == .notDue("its schedule has not fired yet"))
    }

    @Test func theSlotIsReadInTheScriptsTimeZone() {
        // 07:00 on Mondays in UTC+1 is 06:00 UTC: at 06:30 UTC it has fired, at 05:30 UTC not yet.
        let last = record(started: "2026-11-16T06:00:05Z", scheduledFor: "2026-11-16T06:00:00Z")
        #expect(Due.decide(Self.weekly, last: last, now: instant("2026-11-23T06:30:00Z"), zone: FixedZone(3600), alive: { _ in false })
                == .due(slot: instant("2026-11-23T06:00:00Z"), reason: "due again since its run for 2026-11-16 07:00"))
        if case .due = Due.decide(Self.weekly, last: last, now: instant("2026-11-23T05:30:00Z"), zone: FixedZone(3600), alive: { _ in false }) {
            Issue.record("not due before 07:00 local time")
        }
    }
}

@Suite struct RunLockTests {
    @Test func aSecondRunIsRefusedWhileTheFirstHoldsTheLock() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = RunLock.file(in: dir + "/w.db.locks", scriptKey: "/s/a.pmo", name: "a.pmo")
        var notes: [String] = []
        let first = try RunLock.acquire(path: path, script: "a.pmo", wait: false, shouldStop: { false }, note: { notes.append($0) })
        #expect(throws: CronFailure.self) {
            _ = try RunLock.acquire(path: path, script: "a.pmo", wait: false, shouldStop: { false }, note: { notes.append($0) })
        }
        do {
            _ = try RunLock.acquire(path: path, script: "a.pmo", wait: false, shouldStop: { false }, note: { _ in })
        } catch {
            #expect(error.kind == .locked)
            #expect(error.message.contains("holds the lock of a.pmo"), "\(error.message)")
        }
        // Waiting gives up when the run is asked to stop, saying so once.
        do {
            _ = try RunLock.acquire(path: path, script: "a.pmo", wait: true, shouldStop: { true }, note: { notes.append($0) })
            Issue.record("a waiting run asked to stop must give up")
        } catch {
            #expect(error.kind == .locked)
        }
        #expect(notes.count == 1 && notes[0].hasPrefix("waiting for another run"), "\(notes)")
        first.release()
        let again = try RunLock.acquire(path: path, script: "a.pmo", wait: false, shouldStop: { false }, note: { _ in })
        #expect(again.staleHolder == nil, "a released lock names no holder")
        again.release()
    }

    @Test func aLockLeftByAKilledRunIsClearedAndSaidSo() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/k.lock"
        let left = LockHolder(pid: 999_999, host: "h", started: "2026-11-23T07:00:00Z", script: "k.pmo")
        try left.text.write(toFile: path, atomically: false, encoding: .utf8)
        var notes: [String] = []
        let lock = try RunLock.acquire(path: path, script: "k.pmo", wait: false, shouldStop: { false }, note: { notes.append($0) })
        defer { lock.release() }
        #expect(lock.staleHolder == left)
        #expect(notes.count == 1 && notes[0].contains("cleared a stale lock of k.pmo"), "\(notes)")
    }

    @Test func aLockFileThatIsALinkIsRefusedAndItsTargetUntouched() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/precious.txt"
        try "keep me".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/x.lock", withDestinationPath: target)
        do {
            _ = try RunLock.acquire(path: dir + "/x.lock", script: "x.pmo", wait: false, shouldStop: { false }, note: { _ in })
            Issue.record("a symbolic link as the lock file must be refused")
        } catch {
            #expect(error.kind == .cannotWrite)
            #expect(error.message.contains("will not follow"), "\(error.message)")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
    }
}

@Suite(.serialized) struct RunGuardTests {
    @Test func aTimeoutAsksTheRunToStopThenHandsTheHardStopToTheHost() async throws {
        let stopped = Locked(nil as CronFailure?)
        let g = RunGuard.start(timeout: 0.05) { stopped.set($0) }
        // The engine's cancellation flag is process-wide: left pointing at this guard, which stays
        // stopping for the grace period, it would stop every engine run of the suites running beside
        // this one ("interrupted"). This test is about the guard itself.
        EngineOptions.isCancelled = nil
        #expect(!g.isStopping)
        let deadline = Date().addingTimeInterval(10)
        while !g.isStopping, Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(g.isStopping)
        #expect(g.stopReason == .timeout(0.05))
        #expect(g.failure == CronFailure(.timedOut, "timed out after 0.05 s"))
        // The engine never noticed: after the grace period the host's hard stop is called.
        let late = Date().addingTimeInterval(RunGuard.hardStopGrace + 10)
        while stopped.get() == nil, Date() < late { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(stopped.get() == CronFailure(.timedOut, "timed out after 0.05 s"))
        g.finish()
    }

    @Test func aRunThatFinishesInTimeIsNotStopped() async throws {
        let stopped = Locked(nil as CronFailure?)
        let g = RunGuard.start(timeout: 0.05) { stopped.set($0) }
        g.finish()
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(!g.isStopping)
        #expect(g.failure == nil)
        #expect(stopped.get() == nil)
        #expect(RunGuard.active == nil)
    }

    @Test func secondsAndSignalNames() {
        #expect(RunGuard.seconds(2) == "2" && RunGuard.seconds(1.5) == "1.5")
        #expect(RunGuard.signalName(SIGTERM) == "SIGTERM" && RunGuard.signalName(99) == "signal 99")
    }
}

@Suite struct RunLedgerWriterTests {
    @Test func aRunIsRecordedFromStartToEnd() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/w.db"
        try Workspace.create(path: path).close()
        var warnings: [String] = []
        let ledger = try #require(RunLedgerWriter(workspace: path, warning: { warnings.append($0) }, note: { _ in }))
        ledger.sweep()
        ledger.begin(script: "/s/a.pmo", scheduledFor: "2026-11-23T07:00:00Z", asOf: "2026-11-20")
        ledger.finish(asOf: "2026-11-20", exitCode: 1, stopped: nil, counts: FindingCounts(new: 2), message: "2 findings")
        let runs = try Workspace.open(path: path, readOnly: true).runs(script: "/s/a.pmo")
        #expect(runs.count == 1)
        #expect(runs.first?.status == .findings && runs.first?.exitCode == 1 && runs.first?.counts.new == 2)
        #expect(runs.first?.scheduledFor == "2026-11-23T07:00:00Z")
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test func aRunKilledBeforeItsEndIsMarkedByTheNextSweep() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/w.db"
        let ws = try Workspace.create(path: path)
        _ = try ws.beginRun(script: "/s/b.pmo", scheduledFor: nil, asOf: nil, started: "2026-11-23T07:00:00Z",
                            host: RunLock.hostName(), pid: 999_999, processTag: "gone")
        var notes: [String] = []
        let ledger = try #require(RunLedgerWriter(workspace: path, warning: { _ in }, note: { notes.append($0) }))
        ledger.sweep()
        #expect(try ws.lastRun(script: "/s/b.pmo")?.status == .killed)
        #expect(notes.count == 1 && notes[0].contains("never finished; recorded as killed"), "\(notes)")
    }

    @Test func noWorkspaceNoLedger() {
        #expect(RunLedgerWriter(workspace: "/nonexistent/w.db", warning: { _ in }, note: { _ in }) == nil)
    }
}

/// A value shared with a callback on another thread.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
}
