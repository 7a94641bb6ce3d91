// Stopping a run from outside: `--timeout SECONDS` (a watchdog) and SIGINT, SIGTERM or SIGHUP. Both
// set one flag that the engine polls every 4096 steps (`EngineOptions.isCancelled`), so a runaway
// script stops within a fraction of a second and the host still records the run, releases its lock
// and exits 70 (timeout) or 130 (interrupted). Work the engine does not poll (loading a huge
// portfolio) is ended by a hard stop a few seconds later: the host's `hardStop` (which reports,
// releases the lock and ends the process; this module never prints or exits).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import PMORuntime

/// The watchdog of one non-interactive invocation.
public final class RunGuard: @unchecked Sendable {
    /// Why the run is being stopped.
    public enum Reason: Equatable, Sendable {
        case timeout(Double)
        case signal(Int32)
    }

    /// Seconds between asking the engine to stop and ending the process regardless.
    public static let hardStopGrace: Double = 3

    private let lock = NSLock()
    private var reason: Reason?
    private var finished = false
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "pmo.run-guard")

    /// The guard of the run in progress (the engine's cancellation flag reads it).
    nonisolated(unsafe) public private(set) static var active: RunGuard?
    /// What ends the process when the engine has not stopped `hardStopGrace` seconds after being asked.
    private var hardStop: @Sendable (CronFailure) -> Void = { _ in }

    /// Starts watching: a timer when `timeout` is given, and the termination signals. `hardStop` is
    /// called (on the guard's queue) when a stopped run has not finished after the grace period: it
    /// must end the process.
    public static func start(timeout: Double?, hardStop: @escaping @Sendable (CronFailure) -> Void) -> RunGuard {
        let g = RunGuard()
        g.hardStop = hardStop
        active = g
        EngineOptions.isCancelled = { RunGuard.active?.isStopping ?? false }
        if let timeout {
            g.queue.asyncAfter(deadline: .now() + timeout) { g.stop(.timeout(timeout)) }
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: g.queue)
            source.setEventHandler { g.stop(.signal(sig)) }
            source.resume()
            g.sources.append(source)
        }
        return g
    }

    /// True once a timeout or a signal asked the run to stop.
    public var isStopping: Bool {
        lock.lock(); defer { lock.unlock() }
        return reason != nil
    }

    /// The reason the run is being stopped, if it is.
    public var stopReason: Reason? {
        lock.lock(); defer { lock.unlock() }
        return reason
    }

    /// The failure a stopped run ends with: "timed out after N s" (70) or "interrupted" (130).
    public var failure: CronFailure? {
        switch stopReason {
        case .timeout(let s)?: return CronFailure(.timedOut, "timed out after \(RunGuard.seconds(s)) s")
        case .signal(let sig)?: return CronFailure(.interrupted, "interrupted (\(RunGuard.signalName(sig)))")
        case nil: return nil
        }
    }

    /// Asks the run to stop, then ends the process if it has not finished after the grace period.
    private func stop(_ why: Reason) {
        lock.lock()
        if reason == nil && !finished { reason = why }
        let first = reason == why
        lock.unlock()
        guard first else { return }
        queue.asyncAfter(deadline: .now() + RunGuard.hardStopGrace) { [self] in
            lock.lock()
            let done = finished
            lock.unlock()
            if done { return }
            RunGuard.onHardStop?()
            hardStop(failure ?? CronFailure(.interrupted, "interrupted"))
        }
    }

    /// Called just before a hard stop ends the process (the run's lock is released; its ledger row is
    /// left for the next run to mark failed).
    public nonisolated(unsafe) static var onHardStop: (() -> Void)?

    /// The run has ended: the timer and the hard stop no longer apply; signals get their default action back.
    public func finish() {
        lock.lock()
        finished = true
        lock.unlock()
        for s in sources { s.cancel() }
        sources = []
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
        if RunGuard.active === self {
            RunGuard.active = nil
            EngineOptions.isCancelled = nil
        }
    }

    /// `1.5` → "1.5", `2.0` → "2".
    public static func seconds(_ s: Double) -> String {
        s == s.rounded() && s < 1e15 ? String(Int64(s)) : String(s)
    }

    public static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }
}
