// Finding the portfolio to query (a workspace, a folder of CSV files or the bundled demo) and loading it.
import Foundation
import PMOCron
import Portfolio
import Workspace

extension HostFailure {
    /// A workspace failure with the exit status cli.md gives it.
    init(_ e: WorkspaceError) {
        switch e.kind {
        case .badData, .corrupt:
            var text = e.location != nil ? e.description : "pmo: error: " + e.message
            if e.problems.count > 1 {
                let files = Set(e.problems.map(\.file)).count
                text += "\npmo: \(e.problems.count) problems" + (files > 1 ? " in \(files) files" : "")
                    + (e.problems.count >= ImportLimits.problems ? " (the first \(ImportLimits.problems) shown)" : "")
            }
            self.init(.badInput, verbatim: text)
        case .usage: self.init(.badCommandLine, e.message)
        case .missing, .notWorkspace, .incompatible: self.init(.missingInput, e.message)
        case .exists, .cannotWrite: self.init(.cannotWrite, e.message)
        case .busy: self.init(.locked, e.message)
        case .cancelled: self.init(.interrupted, e.message)
        }
    }
}

/// Where the portfolio comes from: a workspace (SQLite file) or a folder of CSV files.
struct PortfolioSource {
    /// The folder of CSV files, or the workspace file when `isWorkspace`.
    var directory: String
    /// Whether this is the bundled demo portfolio (found without being asked for).
    var isDemo: Bool
    /// Whether `directory` is a workspace file.
    var isWorkspace = false
    /// The encoding of a folder's CSV files (`--encoding`); nil: UTF-8.
    var encoding: InputEncoding?

    /// The workspace the commands that write use: `--workspace`, else `$PMO_WORKSPACE`, else `./portfolio.db`.
    static func workspacePath(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["PMO_WORKSPACE"], !env.isEmpty { return env }
        return "portfolio.db"
    }

    /// `--workspace PATH` or `--data DIR`, else `$PMO_WORKSPACE`, else `$PMO_DATA`, else `./portfolio.db`
    /// when it exists, else the bundled demo.
    static func locate(data: String?, workspace: String? = nil,
                       environment: [String: String]) throws(HostFailure) -> PortfolioSource {
        if let workspace { return PortfolioSource(directory: workspace, isDemo: false, isWorkspace: true) }
        if let data { return PortfolioSource(directory: data, isDemo: false) }
        if let env = environment["PMO_WORKSPACE"], !env.isEmpty {
            return PortfolioSource(directory: env, isDemo: false, isWorkspace: true)
        }
        if let env = environment["PMO_DATA"], !env.isEmpty { return PortfolioSource(directory: env, isDemo: false) }
        if FileManager.default.fileExists(atPath: "portfolio.db") {
            return PortfolioSource(directory: "portfolio.db", isDemo: false, isWorkspace: true)
        }
        if let demo = demoDirectory(environment: environment) { return PortfolioSource(directory: demo, isDemo: true) }
        throw HostFailure(.missingInput,
            "no portfolio to query: create a workspace (pmo init), pass --workspace FILE or --data DIR, "
            + "or set PMO_WORKSPACE or PMO_DATA; the bundled demo (examples/demo) was not found")
    }

    /// The bundled demo's folder: on disk beside the build products or installed, else the copy
    /// compiled into the binary, written to a private temporary folder (see `EmbeddedDemo`).
    static func demoDirectory(environment: [String: String]) -> String? {
        demoCandidates(environment: environment).first(where: isDirectory) ?? EmbeddedDemo.extract(environment: environment)
    }

    /// Places the demo may be on disk: `$PMO_DEMO_DIR`, then the source tree's `examples/demo` of a
    /// build run from its build folder, then an installed `PREFIX/share/pmo/demo`. (Not the current
    /// directory: a folder of someone else's that happens to hold `examples/demo` is not pmo's demo.)
    static func demoCandidates(environment: [String: String]) -> [String] {
        var out: [String] = []
        if let d = environment["PMO_DEMO_DIR"], !d.isEmpty { out.append(d) }
        var exeDirs: [URL] = []
        if let exe = Bundle.main.executableURL {
            exeDirs.append(exe.resolvingSymlinksInPath().deletingLastPathComponent())
            exeDirs.append(exe.deletingLastPathComponent())
        }
        if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
            exeDirs.append(URL(fileURLWithPath: arg0).deletingLastPathComponent())
        }
        for dir in exeDirs {
            // .build/<triple>/debug/pmo, .build/debug/pmo, <prefix>/bin/pmo.
            for rel in ["../../../examples/demo", "../../examples/demo", "../share/pmo/demo"] {
                out.append(dir.appendingPathComponent(rel).standardizedFileURL.path)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// `$PMO_COLUMN_CACHE`: `auto` (the default: a workspace of 50,000 rows or more gets a column cache
    /// beside it), `always`, or `never` (read SQLite only, write nothing beside the workspace).
    static func cachePolicy(_ environment: [String: String]) throws(HostFailure) -> ColumnCachePolicy {
        switch environment["PMO_COLUMN_CACHE"] ?? "" {
        case "", "auto": return .auto
        case "always": return .always
        case "never", "off": return .never
        case let other:
            throw HostFailure(.badCommandLine, "PMO_COLUMN_CACHE is '\(other)'; use auto, always or never")
        }
    }

    /// Loads the portfolio: a missing or unreadable directory or workspace is exit 66, malformed data 65.
    /// A load stopped by a signal or `--timeout` (the loaders poll `LoadCancellation`) ends with the
    /// run guard's reason (exit 130 or 70), whatever error the stopped loader threw.
    func load() throws(HostFailure) -> PortfolioStore {
        do {
            return try loadOnce()
        } catch {
            if let stopped = RunGuard.active?.failure { throw HostFailure(stopped) }
            throw error
        }
    }

    private func loadOnce() throws(HostFailure) -> PortfolioStore {
        if isWorkspace {
            let policy = try PortfolioSource.cachePolicy(Terminal.environment)
            do {
                return try Workspace.open(path: directory, readOnly: true).loadStore(cache: policy)
            } catch {
                throw HostFailure(error)
            }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw HostFailure(.missingInput, "data directory '\(directory)' does not exist")
        }
        guard isDir.boolValue else {
            throw HostFailure(.missingInput, "data path '\(directory)' is not a directory")
        }
        guard FileManager.default.isReadableFile(atPath: directory),
              FileManager.default.isExecutableFile(atPath: directory) else {
            throw HostFailure(.missingInput, "data directory '\(directory)' is not readable")
        }
        do {
            return try PortfolioLoader.load(directory: directory, encoding: encoding)
        } catch {
            // A file that exists but cannot be opened is missing input; bad content is a data error.
            let unreadable = error.line == 0 && FileManager.default.fileExists(atPath: error.file)
                && !FileManager.default.isReadableFile(atPath: error.file)
            throw HostFailure(unreadable ? .missingInput : .badInput, verbatim: error.description)
        }
    }
}
