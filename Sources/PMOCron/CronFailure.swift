// What stops an unattended run before or while it runs, as a value: the host reports the message
// and turns the kind into its exit status.

/// Why an unattended run cannot go on, for the host to report and turn into its exit status.
public struct CronFailure: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A lock file or directory cannot be made or used (74).
        case cannotWrite
        /// Another run holds the lock (75).
        case locked
        /// A directory of scripts or a script cannot be read (66).
        case missingInput
        /// `--timeout` ended the run (70).
        case timedOut
        /// SIGINT, SIGTERM or SIGHUP ended the run (130).
        case interrupted
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
}
