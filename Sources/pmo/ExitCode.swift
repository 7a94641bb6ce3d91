// The exit statuses of cli.md, by name, and the error that carries one out of a command.
import ArgumentParser
import PMOCron

extension ExitCode {
    /// 0: success.
    static let ok = ExitCode(0)
    /// 64 (EX_USAGE): the command line is wrong (unknown option, bad `--as-of` date...).
    static let badCommandLine = ExitCode(64)
    /// 65 (EX_DATAERR): the script has syntax or check errors (nothing ran), or the portfolio data is malformed.
    static let badInput = ExitCode(65)
    /// 66 (EX_NOINPUT): a script, the data directory or another input is missing or unreadable.
    static let missingInput = ExitCode(66)
    /// 70 (EX_SOFTWARE): a runtime error in the script (overflow, a limit, a failed assertion, a refused export).
    static let runtimeFailure = ExitCode(70)
    /// 74 (EX_IOERR): an output could not be written.
    static let cannotWrite = ExitCode(74)
    /// 130: the run was interrupted (SIGINT, SIGTERM, SIGHUP).
    static let interrupted = ExitCode(130)
}

/// A failure the host reports itself: the exit status and the text for standard error (nil when the
/// diagnostics were printed already).
struct HostFailure: Error {
    var code: ExitCode
    var text: String?

    /// A failure shown as `pmo: error: MESSAGE`.
    init(_ code: ExitCode, _ message: String) { self.code = code; self.text = "pmo: error: " + message }

    /// A failure shown exactly as given (a data file's `path:line:col: error: ...`), or silent.
    init(_ code: ExitCode, verbatim: String?) { self.code = code; self.text = verbatim }

    /// What stopped an unattended run (PMOCron), with its exit status.
    init(_ failure: CronFailure) {
        let code: ExitCode
        switch failure.kind {
        case .cannotWrite: code = .cannotWrite
        case .locked: code = .locked
        case .missingInput: code = .missingInput
        case .timedOut: code = .runtimeFailure
        case .interrupted: code = .interrupted
        }
        self.init(code, failure.message)
    }
}

/// The exit status table shown by `pmo --help` (also in the README).
let exitStatusHelp = """
EXIT STATUS:
  0    success
  1    check/run: findings at or above --fail-on; test: a test failed
  64   bad command line (unknown option, bad --as-of date, ...)
  65   the script has syntax or check errors (nothing was run),
       or input data (CSV content) is malformed
  66   an input file or the data directory is missing or unreadable
  70   a runtime error in the script (overflow, resource limit,
       refused export, --timeout)
  74   an output could not be written
  75   another run holds the lock
  130  interrupted
"""

/// Runs a PMOCron call, its failure as the host's.
func hostCall<T>(_ body: () throws(CronFailure) -> T) throws(HostFailure) -> T {
    do { return try body() } catch { throw HostFailure(error) }
}
