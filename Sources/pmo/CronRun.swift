// A script run as cron runs it: the lock that keeps two runs of the same script on the same
// workspace apart, the run ledger, then the host's usual check, run and output.
import ArgumentParser
import Dispatch
import Foundation
import PMOCron
import Workspace

/// Options of the commands that run saved scripts (`pmo run`, `pmo check`).
struct CronOptions: ParsableArguments {
    @Flag(name: .long, help: "When another run of the same script holds the lock, wait for it instead of exiting with 75.")
    var wait = false

    @Option(name: .customLong("scheduled-for"), help: ArgumentHelp(
        "The scheduled time this run is for (ISO 8601, UTC); set by `pmo due` for the run ledger.", valueName: "time",
        visibility: .hidden))
    var scheduledFor: String?

    func validate() throws {
        if let s = scheduledFor, CivilTime.parseISO(s) == nil {
            throw ValidationError("invalid --scheduled-for '\(s)': expected a time such as 2026-11-23T07:00:00Z")
        }
    }
}

/// A script as read before the run.
struct LoadedScript {
    var name: String
    var bytes: [UInt8]
    var base: String?
}

enum CronRun {
    /// Findings of the run in progress compared with the last run, for its ledger row; the rules
    /// engine's `check` sets them (zero for runs that check nothing).
    nonisolated(unsafe) static var findingCounts = FindingCounts()

    /// The identity of a run for its lock and its ledger rows: the scripts' absolute paths (standard
    /// input by a hash of its text).
    static func scriptKey(_ scripts: [LoadedScript]) -> String {
        scripts.map { s in
            s.name == "<stdin>" ? "<stdin:\(RunLock.hash(String(decoding: s.bytes, as: UTF8.self)))>" : RunLock.absolute(s.name)
        }.joined(separator: " ")
    }

    /// Locks, records the start in the ledger, runs the scripts in one session, records the end and
    /// releases the lock; the exit status is the host's (75 when the lock is held).
    static func perform(_ scripts: [LoadedScript], _ common: CommonOptions, _ cron: CronOptions,
                        _ body: @escaping (Host) throws(HostFailure) -> Void) throws(ExitCode) {
        let env = Terminal.environment
        let key = scriptKey(scripts)
        let watchdog = Host.watchdog(timeout: common.timeout)
        defer { watchdog.finish() }
        // Locks and the ledger belong to a workspace. A folder of CSV files (or the demo) is read-only
        // and keeps no ledger: the run just runs (a missing portfolio is the host's to report).
        guard let source = try? PortfolioSource.locate(data: common.data, workspace: common.workspace, environment: env),
              source.isWorkspace else {
            try Host.perform(common, watchdog: watchdog, body)
            return
        }
        let quiet = common.quiet
        let ledger = RunLedgerWriter(workspace: source.directory,
                                     warning: { Terminal.writeErr("pmo: warning: \($0)\n") },
                                     note: { if !quiet { Terminal.writeErr("pmo: note: \($0)\n") } })
        ledger?.sweep()

        let lockPath = RunLock.file(in: RunLock.directory(workspace: source.directory), scriptKey: key,
                                    name: scripts.first?.name ?? "script")
        let lock: RunLock
        do {
            lock = try RunLock.acquire(path: lockPath, script: key, wait: cron.wait, shouldStop: { watchdog.isStopping },
                                       note: { if !quiet { Terminal.writeErr("pmo: \($0)\n") } })
        } catch {
            let failure = HostFailure(watchdog.failure ?? error)
            if failure.code == .locked { ledger?.recordLocked(script: key, scheduledFor: cron.scheduledFor, failure.text) }
            if let text = failure.text { Terminal.writeErr(text + "\n") }
            throw failure.code
        }
        RunGuard.onHardStop = { lock.release() }
        defer {
            RunGuard.onHardStop = nil
            lock.release()
        }
        // The lock was free but named a holder: that run was killed; the sweep above has marked its row.
        ledger?.begin(script: key, scheduledFor: cron.scheduledFor, asOf: common.asOf)
        findingCounts = FindingCounts()
        Host.failureSummary = nil
        var asOf = common.asOf
        var status: Int32 = 0
        do {
            try Host.perform(common, watchdog: watchdog) { host throws(HostFailure) in
                asOf = host.session.asOf.description
                try body(host)
            }
        } catch {
            status = error.rawValue
        }
        ledger?.finish(asOf: asOf, exitCode: status, stopped: watchdog.stopReason, counts: findingCounts,
                       message: Host.failureSummary)
        if status != 0 { throw ExitCode(status) }
    }
}
