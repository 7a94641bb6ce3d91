// Finding the portfolio to query (--data, $PMO_DATA or the bundled demo) and loading it.
import Foundation
import Portfolio

/// Where the portfolio comes from.
struct PortfolioSource {
    /// The directory of CSV files.
    var directory: String
    /// Whether this is the bundled demo portfolio (found without being asked for).
    var isDemo: Bool

    /// `--data DIR`, else `$PMO_DATA`, else the bundled demo.
    static func locate(data: String?, environment: [String: String]) throws(HostFailure) -> PortfolioSource {
        if let data { return PortfolioSource(directory: data, isDemo: false) }
        if let env = environment["PMO_DATA"], !env.isEmpty { return PortfolioSource(directory: env, isDemo: false) }
        for candidate in demoCandidates(environment: environment) where isDirectory(candidate) {
            return PortfolioSource(directory: candidate, isDemo: true)
        }
        throw HostFailure(.missingInput,
            "no portfolio to query: pass --data DIR (a folder of CSV files) or set PMO_DATA; "
            + "the bundled demo (examples/demo) was not found")
    }

    /// Places the demo may be: `$PMO_DEMO_DIR`, next to the build products, an installed share
    /// directory, then `./examples/demo`.
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
        out.append("examples/demo")
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Loads the portfolio: a missing or unreadable directory is exit 66, malformed data 65.
    func load() throws(HostFailure) -> PortfolioStore {
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
            return try PortfolioLoader.load(directory: directory)
        } catch {
            // A file that exists but cannot be opened is missing input; bad content is a data error.
            let unreadable = error.line == 0 && FileManager.default.fileExists(atPath: error.file)
                && !FileManager.default.isReadableFile(atPath: error.file)
            throw HostFailure(unreadable ? .missingInput : .badInput, verbatim: error.description)
        }
    }
}
