// Stopping a run from outside: `--timeout SECONDS` (a watchdog) and SIGINT, SIGTERM or SIGHUP. Both
// set one flag that the engine polls every 4096 steps (`EngineOptions.isCancelled`), so a runaway
// script stops within a fraction of a second and the host still records the run, releases its lock
// and exits 70 (timeout) or 130 (interrupted). Work the engine does not poll (loading a huge
// portfolio) is ended by a hard stop a few seconds later.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Dispatch
import Foundation
import PMORuntime

extension ExitCode {
    /// 130: the run was interrupted (SIGINT, SIGTERM, SIGHUP).
    static let interrupted = ExitCode(130)
}

/// The watchdog of one non-interactive invocation.
final class RunGuard: @unchecked Sendable {
    /// Why the run is being stopped.
    enum Reason: Equatable {
        case timeout(Double)
        case signal(Int32)
    }

    /// Seconds between asking the engine to stop and ending the process regardless.
    static let hardStopGrace: Double = 3

    private let lock = NSLock()
    private var reason: Reason?
    private var finished = false
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "pmo.run-guard")

    /// The guard of the run in progress (the engine's cancellation flag reads it).
    nonisolated(unsafe) private(set) static var active: RunGuard?

    /// Starts watching: a timer when `timeout` is given, and the termination signals.
    static func start(timeout: Double?) -> RunGuard {
        let g = RunGuard()
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
    var isStopping: Bool {
        lock.lock(); defer { lock.unlock() }
        return reason != nil
    }

    /// The reason the run is being stopped, if it is.
    var stopReason: Reason? {
        lock.lock(); defer { lock.unlock() }
        return reason
    }

    /// The failure a stopped run ends with: "timed out after N s" (70) or "interrupted" (130).
    var failure: HostFailure? {
        switch stopReason {
        case .timeout(let s)?: return HostFailure(.runtimeFailure, "timed out after \(RunGuard.seconds(s)) s")
        case .signal(let sig)?: return HostFailure(.interrupted, "interrupted (\(RunGuard.signalName(sig)))")
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
            if let text = failure?.text { Terminal.writeErr(text + "\n") }
            RunGuard.onHardStop?()
            if case .timeout = why { _exit(70) }
            _exit(130)
        }
    }

    /// Called just before a hard stop ends the process (the run's lock is released; its ledger row is
    /// left for the next run to mark failed).
    nonisolated(unsafe) static var onHardStop: (() -> Void)?

    /// The run has ended: the timer and the hard stop no longer apply; signals get their default action back.
    func finish() {
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
    static func seconds(_ s: Double) -> String {
        s == s.rounded() && s < 1e15 ? String(Int64(s)) : String(s)
    }

    static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }
}
