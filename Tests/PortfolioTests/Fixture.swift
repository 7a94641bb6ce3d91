// Test fixtures: small portfolios written as CSV files into a fresh temporary directory.
import Foundation
import PMOBase
import Portfolio

/// A temporary directory holding CSV files; removed by `remove()`.
struct Fixture {
    let dir: String

    init(_ files: [String: String]) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        dir = url.path
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }

    func path(_ name: String) -> String { dir + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// Loads the files into a store.
    static func load(_ files: [String: String]) throws -> PortfolioStore {
        let f = try Fixture(files)
        defer { f.remove() }
        return try PortfolioLoader.load(directory: f.dir)
    }

    /// The load error the files produce, with the file reduced to its name; nil when they load.
    static func error(_ files: [String: String]) throws -> LoadError? {
        let f = try Fixture(files)
        defer { f.remove() }
        do {
            _ = try PortfolioLoader.load(directory: f.dir)
            return nil
        } catch {
            let name = String(error.file.split(separator: "/").last ?? "")
            return LoadError(file: name, line: error.line, column: error.column, message: error.message)
        }
    }

    /// A minimal valid core: one person, portfolio, program and project.
    static let core: [String: String] = [
        "people.csv": "id,name\nP1,Ada Lovelace\nP2,Grace Hopper\n",
        "portfolios.csv": "id,name,owner,currency\nPF1,Enterprise,P1,EUR\n",
        "programs.csv": "id,name,portfolio,manager,state\nPRG-1,ERP,PF1,P2,active\n",
        "projects.csv": "id,name,program,portfolio,state,status,bac\nPRJ-1,ERP core,PRG-1,PF1,active,green,1000000\n",
    ]

    static func with(_ extra: [String: String]) -> [String: String] {
        core.merging(extra) { _, new in new }
    }
}

func day(_ s: String) -> Day {
    guard let d = Day(iso: Substring(s)) else { fatalError("bad test date \(s)") }
    return d
}

func money(_ s: String) -> Fixed {
    guard let f = Fixed(parsing: Substring(s)) else { fatalError("bad test amount \(s)") }
    return f
}
