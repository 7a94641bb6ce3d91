// Where `export` may write: under the current directory, or a directory given with --allow-write.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Confines `export ... to PATH`: the target must lie (after `..` and symbolic links in its
/// directory are resolved) inside the current directory or one of the `--allow-write` directories.
struct ExportPolicy {
    struct Refusal: Error {
        var message: String
        var help: String?
        /// A path that is allowed but cannot be written (its directory is missing) is an output failure.
        var cannotWrite = false
    }

    /// Real paths of the directories exports may write under.
    let roots: [String]
    let cwd: String

    init(allowWrite: [String]) throws(HostFailure) {
        let here = FileManager.default.currentDirectoryPath
        cwd = ExportPolicy.realPath(here) ?? here
        var roots = [cwd]
        for dir in allowWrite {
            guard let real = ExportPolicy.realPath(ExportPolicy.absolute(dir, cwd: cwd)), PortfolioSource.isDirectory(real) else {
                throw HostFailure(.badCommandLine, "--allow-write directory '\(dir)' does not exist")
            }
            roots.append(real)
        }
        self.roots = roots
    }

    /// The path to write for an export target, or why it is refused.
    func check(_ path: String) -> Result<String, Refusal> {
        let help = "export writes only under the current directory; pass --allow-write DIR to allow another directory"
        if path.isEmpty { return .failure(Refusal(message: "export needs a file name", help: nil)) }
        if path.utf8.contains(0) { return .failure(Refusal(message: "export path contains a NUL character", help: nil)) }
        let lexical = ExportPolicy.normalize(ExportPolicy.absolute(path, cwd: cwd))
        guard contains(lexical) else {
            return .failure(Refusal(message: "export to '\(path)' is outside the current directory", help: help))
        }
        guard let slash = lexical.lastIndex(of: "/") else { return .success(lexical) }
        let dir = slash == lexical.startIndex ? "/" : String(lexical[..<slash])
        let name = String(lexical[lexical.index(after: slash)...])
        if name.isEmpty { return .failure(Refusal(message: "export path '\(path)' names a directory", help: nil)) }
        guard let realDir = ExportPolicy.realPath(dir), PortfolioSource.isDirectory(realDir) else {
            return .failure(Refusal(message: "cannot export to '\(path)': directory '\(dir)' does not exist", help: nil,
                                    cannotWrite: true))
        }
        guard contains(realDir) else {
            return .failure(Refusal(message: "export to '\(path)' leads outside the current directory (through a symbolic link)",
                                    help: help))
        }
        if PortfolioSource.isDirectory(realDir + "/" + name) {
            return .failure(Refusal(message: "export path '\(path)' names a directory", help: nil))
        }
        return .success(realDir == "/" ? "/" + name : realDir + "/" + name)
    }

    func contains(_ path: String) -> Bool {
        roots.contains { root in root == "/" || path == root || path.hasPrefix(root + "/") }
    }

    static func absolute(_ path: String, cwd: String) -> String {
        path.hasPrefix("/") ? path : (cwd == "/" ? "/" + path : cwd + "/" + path)
    }

    /// Removes `.`, empty components and `..` (never above the root) without touching the file system.
    static func normalize(_ absolutePath: String) -> String {
        var parts: [Substring] = []
        for c in absolutePath.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The canonical path of an existing file or directory, or nil.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
