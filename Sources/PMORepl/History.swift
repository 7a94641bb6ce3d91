// The prompt's history: where it is saved, and libedit's history list behind the up arrow.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CEditShim

/// Where the history file is.
public enum HistoryLocation {
    /// `$PMO_HISTFILE`, else `$XDG_STATE_HOME/pmo/history`, else `~/.local/state/pmo/history`.
    /// Nil when `PMO_HISTORY` is set and empty (history is not saved) or no home directory is known.
    /// Empty variables count as unset, as the XDG specification asks.
    public static func path(environment env: [String: String]) -> String? {
        if let off = env["PMO_HISTORY"], off.isEmpty { return nil }
        if let file = env["PMO_HISTFILE"], !file.isEmpty { return file }
        if let state = env["XDG_STATE_HOME"], !state.isEmpty, state.hasPrefix("/") {
            return state + "/pmo/history"
        }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/pmo/history"
    }
}

/// libedit's history list: at most `limit` entries, consecutive duplicates dropped, a multi-line
/// input kept as one entry. When it has a path, it is loaded at start and saved (mode 0600) after
/// every entry, so a second session recalls the first one's inputs even if the first was killed.
public final class HistoryStore {
    /// libedit's `History *`.
    let handle: OpaquePointer
    public let path: String?
    public static let limit = 1000
    /// Why the file could not be written (reported once), if it could not.
    public private(set) var saveProblem: String?

    public init?(path: String?) {
        guard let h = pmo_history_init() else { return nil }
        handle = h
        self.path = path
        _ = pmo_history_setsize(h, Int32(HistoryStore.limit))
        _ = pmo_history_setunique(h, 1)
        if let path {
            HistoryStore.makeParentDirectory(of: path)
            // A missing file is the normal first run; libedit then returns -1.
            _ = pmo_history_load(h, path)
        }
    }

    deinit { pmo_history_end(handle) }

    /// Adds one entry (ignored when it repeats the last one) and saves the file.
    public func add(_ entry: String) {
        guard !entry.isEmpty else { return }
        _ = pmo_history_enter(handle, entry)
        save()
    }

    /// The entries, oldest first.
    public var entries: [String] {
        var out: [String] = []
        var p = pmo_history_oldest(handle)
        while let s = p {
            var text = String(cString: s)
            if text.hasSuffix("\n") { text.removeLast() }
            out.append(text)
            p = pmo_history_newer(handle)
        }
        return out
    }

    /// Writes the whole list to the file, readable and writable by the owner only.
    public func save() {
        guard let path else { return }
        // Create the file private before libedit opens it, so it is never readable by others.
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)
            close(fd)
        }
        if pmo_history_save(handle, path) < 0 {
            if saveProblem == nil { saveProblem = "cannot write the history file \(path): \(String(cString: strerror(errno)))" }
            return
        }
        chmod(path, 0o600)
    }

    /// Creates the directories above `path` (mode 0700 for the ones it makes).
    static func makeParentDirectory(of path: String) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let dir = String(path[..<slash])
        var current = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            current += "/" + part
            var st = stat()
            if stat(current, &st) == 0 { continue }
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return }
        }
    }
}
