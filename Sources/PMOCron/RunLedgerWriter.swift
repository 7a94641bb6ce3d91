// The run ledger's rows of one unattended run: killed runs marked, the start, the end with its
// status, duration and findings, and a run refused by the lock. A ledger that cannot be written
// does not stop the run; what went wrong is handed to the host's `warning`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Workspace

/// The ledger rows of one run, in its workspace. A ledger that cannot be written does not stop the
/// run: the problem is reported on standard error and the run goes on.
public final class RunLedgerWriter {
    public let path: String
    private let warning: (String) -> Void
    private let note: (String) -> Void
    private var workspace: Workspace?
    private var rowID: Int64?
    private var startNanos: UInt64 = 0
    private let host = RunLock.hostName()

    /// The start of a run that could not be recorded when it began (an import held the workspace):
    /// recorded with its end, once the workspace can be written.
    private var pendingBegin: (script: String, scheduledFor: String?, asOf: String?, started: String)?
    /// How many more times a ledger write blocked by another writer is tried (each waits the busy timeout).
    public static let busyRetries = 3
    /// The workspace cannot hold this run's rows for a reason waiting will not cure (read-only):
    /// said once when the run starts, not tried again.
    private var unavailable = false

    /// The ledger of the workspace at `path`; nil when there is no file there (the host reports that).
    /// `warning` receives problems with the ledger; `note` what a person watching should know (a run
    /// recorded as killed), which a quiet host drops.
    public init?(workspace path: String, warning: @escaping (String) -> Void, note: @escaping (String) -> Void) {
        self.path = path
        self.warning = warning
        self.note = note
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

    private func warn(_ message: String) { warning(message) }

    /// Marks runs of this host whose process is gone as killed.
    public func sweep() {
        guard let ws = workspace else { return }
        do {
            let killed = try ws.markAbandonedRuns(host: host) { pid, tag in ProcessIdentity.isAlive(pid, tag: tag) }
            for r in killed {
                note("the run of \(r.script) started \(r.started) (pid \(r.pid)) never finished; recorded as killed")
            }
        } catch {
            warn("cannot read the run ledger of '\(path)': \(error.message)")
        }
    }

    public func recordLocked(script: String, scheduledFor: String?, _ text: String?) {
        guard let ws = workspace else { return }
        let message = (text ?? "locked").replacingOccurrences(of: "pmo: error: ", with: "")
        do {
            try ws.recordLockedRun(script: script, scheduledFor: scheduledFor, started: RunLock.isoNow(), host: host,
                                   pid: getpid(), message: message)
        } catch {
            warn("cannot record this run in the ledger of '\(path)': \(error.message)")
        }
    }

    public func begin(script: String, scheduledFor: String?, asOf: String?) {
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
    public func finish(asOf: String?, exitCode: Int32, stopped: RunGuard.Reason?, counts: FindingCounts, message: String?) {
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
