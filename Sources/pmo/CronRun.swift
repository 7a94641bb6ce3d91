// A script run as cron runs it: the lock that keeps two runs of the same script on the same
// workspace apart, the run ledger, then the host's usual check, run and output.
import ArgumentParser
import Dispatch
import Foundation
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
        let watchdog = RunGuard.start(timeout: common.timeout)
        defer { watchdog.finish() }
        // Locks and the ledger belong to a workspace. A folder of CSV files (or the demo) is read-only
        // and keeps no ledger: the run just runs (a missing portfolio is the host's to report).
        guard let source = try? PortfolioSource.locate(data: common.data, workspace: common.workspace, environment: env),
              source.isWorkspace else {
            try Host.perform(common, watchdog: watchdog, body)
            return
        }
        let ledger = RunLedgerWriter(workspace: source.directory, quiet: common.quiet)
        ledger?.sweep()

        let lockPath = RunLock.file(in: RunLock.directory(workspace: source.directory), scriptKey: key,
                                    name: scripts.first?.name ?? "script")
        let lock: RunLock
        do {
            lock = try RunLock.acquire(path: lockPath, script: key, wait: cron.wait, quiet: common.quiet,
                                       shouldStop: { watchdog.isStopping })
        } catch {
            let failure = watchdog.failure ?? error
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

/// The ledger rows of one run, in its workspace. A ledger that cannot be written does not stop the
/// run: the problem is reported on standard error and the run goes on.
final class RunLedgerWriter {
    let path: String
    let quiet: Bool
    private var workspace: Workspace?
    private var rowID: Int64?
    private var startNanos: UInt64 = 0
    private let host = RunLock.hostName()

    /// The start of a run that could not be recorded when it began (an import held the workspace):
    /// recorded with its end, once the workspace can be written.
    private var pendingBegin: (script: String, scheduledFor: String?, asOf: String?, started: String)?
    /// How many more times a ledger write blocked by another writer is tried (each waits the busy timeout).
    static let busyRetries = 3
    /// The workspace cannot hold this run's rows for a reason waiting will not cure (read-only):
    /// said once when the run starts, not tried again.
    private var unavailable = false

    init?(workspace path: String, quiet: Bool) {
        self.path = path
        self.quiet = quiet
        // A missing workspace is the host's to report (exit 66); no ledger then.
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            workspace = try Workspace.open(path: path, readOnly: false)
        } catch {
            if error.kind != .busy {
                unavailable = true
                warn("cannot record this run in the ledger of '\(path)': \(error.message)")
            }
        }
    }

    /// The workspace for a ledger write, opened again when an import kept it from opening before.
    private func openWorkspace() -> Workspace? {
        if let workspace { return workspace }
        workspace = try? Workspace.open(path: path, readOnly: false)
        return workspace
    }

    private func warn(_ message: String) {
        Terminal.writeErr("pmo: warning: \(message)\n")
    }

    /// Marks runs of this host whose process is gone as killed.
    func sweep() {
        guard let ws = workspace else { return }
        do {
            let killed = try ws.markAbandonedRuns(host: host) { pid, tag in ProcessIdentity.isAlive(pid, tag: tag) }
            if !quiet {
                for r in killed {
                    Terminal.writeErr("pmo: note: the run of \(r.script) started \(r.started) (pid \(r.pid)) never finished; recorded as killed\n")
                }
            }
        } catch {
            warn("cannot read the run ledger of '\(path)': \(error.message)")
        }
    }

    func recordLocked(script: String, scheduledFor: String?, _ text: String?) {
        guard let ws = workspace else { return }
        let message = (text ?? "locked").replacingOccurrences(of: "pmo: error: ", with: "")
        do {
            try ws.recordLockedRun(script: script, scheduledFor: scheduledFor, started: RunLock.isoNow(), host: host,
                                   pid: getpid(), message: message)
        } catch {
            warn("cannot record this run in the ledger of '\(path)': \(error.message)")
        }
    }

    func begin(script: String, scheduledFor: String?, asOf: String?) {
        startNanos = DispatchTime.now().uptimeNanoseconds
        let started = RunLock.isoNow()
        guard let ws = workspace else {
            if !unavailable { pendingBegin = (script, scheduledFor, asOf, started) }
            return
        }
        do {
            rowID = try ws.beginRun(script: script, scheduledFor: scheduledFor, asOf: asOf, started: started,
                                    host: host, pid: getpid(), processTag: ProcessIdentity.tag(getpid()))
        } catch {
            if error.kind == .busy { pendingBegin = (script, scheduledFor, asOf, started) }
            else { warn("cannot record this run in the ledger of '\(path)': \(error.message)") }
        }
    }

    /// Records the start of a run that could not be recorded when it began, trying again while
    /// another writer (an import) holds the workspace.
    private func recordPendingBegin() {
        guard rowID == nil, let p = pendingBegin else { return }
        for attempt in 0...RunLedgerWriter.busyRetries {
            guard let ws = openWorkspace() else {
                if attempt == RunLedgerWriter.busyRetries { break }
                continue
            }
            do {
                rowID = try ws.beginRun(script: p.script, scheduledFor: p.scheduledFor, asOf: p.asOf, started: p.started,
                                        host: host, pid: getpid(), processTag: ProcessIdentity.tag(getpid()))
                pendingBegin = nil
                return
            } catch {
                if error.kind != .busy || attempt == RunLedgerWriter.busyRetries {
                    warn("cannot record this run in the ledger of '\(path)': \(error.message)")
                    return
                }
            }
        }
        warn("cannot record this run in the ledger of '\(path)': another process kept the workspace locked")
    }

    /// Durations come from the monotonic clock, so a wall clock set back during the run does not matter.
    func finish(asOf: String?, exitCode: Int32, stopped: RunGuard.Reason?, counts: FindingCounts, message: String?) {
        recordPendingBegin()
        guard let ws = workspace, let id = rowID else { return }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds &- startNanos) / 1_000_000)
        let status: RunStatus
        switch (exitCode, stopped) {
        case (70, .timeout?): status = .timedOut
        case (130, _): status = .interrupted
        case (0, _): status = .ok
        case (1, _): status = .findings
        default: status = .failed
        }
        for attempt in 0...RunLedgerWriter.busyRetries {
            do {
                try ws.finishRun(id: id, asOf: asOf, durationMs: elapsed, status: status, exitCode: Int(exitCode),
                                 counts: counts, message: message)
                return
            } catch {
                if error.kind != .busy || attempt == RunLedgerWriter.busyRetries {
                    warn("cannot record the end of this run in the ledger of '\(path)': \(error.message)")
                    return
                }
            }
        }
    }
}
