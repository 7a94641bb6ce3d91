// What every test target shares (issue 16, tests that tell the truth): waits with a time limit, so a
// hung child process or thread fails its test instead of holding the suite, and knowing whether the
// suite runs in CI (`.ci/run` sets CI=1), where a missing tool is a failure and not a skip.
import Foundation

public enum TestEnvironment {
    /// True in CI: `$CI` set to anything but empty, 0 or false.
    public static let isCI: Bool = {
        let v = (ProcessInfo.processInfo.environment["CI"] ?? "").lowercased()
        return !v.isEmpty && v != "0" && v != "false"
    }()

    /// The error a test throws when something it needs is missing: the caller's skip outside CI, a
    /// failure in CI (where .ci/run installs everything, so a skip would hide a test that never ran).
    public static func unavailable(_ why: String, skip: (String) -> Error) -> Error {
        isCI ? Unavailable(why: why) : skip(why)
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let why: String
        public var description: String { "in CI nothing may be missing: \(why)" }
    }

    /// The longest any single child process of a test may run.
    public static let processLimit: Double = 120
}

extension Process {
    /// Waits for the process to end, at most `seconds`. False when it had not: it is then killed
    /// (SIGKILL) and reaped, and the caller fails its test.
    public func waitUntilExit(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning, Date() < deadline { usleep(5_000) }
        if !isRunning { waitUntilExit(); return true }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
        return false
    }
}

extension DispatchSemaphore {
    /// Waits at most `seconds`; false on a time-out.
    public func wait(within seconds: Double) -> Bool {
        wait(timeout: .now() + seconds) == .success
    }
}

extension Process {
    /// Kills the process (SIGKILL) if it still runs `seconds` after this call: for a test that reads a
    /// pipe to its end before waiting, so a hung child ends the read too. Call it right after `run()`.
    public func limit(to seconds: Double = TestEnvironment.processLimit) {
        let pid = processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in
            if self?.isRunning == true { kill(pid, SIGKILL) }
        }
    }
}
