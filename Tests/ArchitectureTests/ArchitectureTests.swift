// ARCHITECTURE.md kept true (issue 16): the module rules it states are the imports the sources
// make, every source file is in its file table and every file it names exists, the library
// modules never print or exit, and files stay small. It reads the repository's own files.
import Foundation
import Testing

struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Every file under `Sources/` (relative paths, sorted).
    static func sourceFiles() throws -> [String] {
        let base = root.appendingPathComponent("Sources")
        guard let walk = FileManager.default.enumerator(atPath: base.path) else { return [] }
        return walk.compactMap { $0 as? String }
            .filter { [".swift", ".c", ".h", ".modulemap"].contains(where: $0.hasSuffix) }
            .map { "Sources/" + $0 }.sorted()
    }

    /// The module table of ARCHITECTURE.md: `| Module | may import |` rows, names in backticks.
    static func moduleRules() throws -> [String: Set<String>] {
        let text = try read("ARCHITECTURE.md")
        guard let start = text.range(of: "## Module rules") else { return [:] }
        var rules: [String: Set<String>] = [:]
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            let names = { (cell: String) in Set(cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }) }
            guard let module = names(cells[1]).first else { continue }
            rules[module] = names(cells[2])
        }
        return rules
    }

    /// The modules a source file imports (`import X`, `@testable import X`, `import struct X.Y`).
    static func imports(of text: String) -> Set<String> {
        var found: Set<String> = []
        for raw in text.split(separator: "\n") {
            var words = raw.split(separator: " ").map(String.init)
            while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            let target = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(words[1]) && words.count >= 3 ? words[2] : words[1]
            found.insert(String(target.split(separator: ".")[0]))
        }
        return found
    }

    @Test func everyModuleHasARuleAndImportsOnlyWhatItMay() throws {
        let rules = try Self.moduleRules()
        #expect(rules.count >= 9, "ARCHITECTURE.md has no module table under '## Module rules'")
        let modules = Set(try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources").path))
        #expect(Set(rules.keys) == modules, "modules in Sources/ versus rows of ARCHITECTURE.md's module table")
        for file in try Self.sourceFiles() where file.hasSuffix(".swift") {
            let module = file.split(separator: "/")[1]
            guard let allowed = rules[String(module)] else { continue }
            let extra = Self.imports(of: try Self.read(file)).subtracting(allowed).subtracting([String(module)])
            #expect(extra.isEmpty, "\(file) imports \(extra.sorted()), which ARCHITECTURE.md does not allow \(module)")
        }
    }

    /// The table's own rules: the syntax and the model know nothing of each other, nothing below the
    /// hosts imports a host, and only the runtime joins syntax and model.
    @Test func theRulesThemselvesKeepTheLayers() throws {
        let rules = try Self.moduleRules()
        #expect(rules["PMOSyntax"]?.contains("Portfolio") == false)
        #expect(rules["Portfolio"]?.contains("PMOSyntax") == false)
        #expect(rules["PMOBase"] == [])
        for (module, allowed) in rules where module != "pmo" {
            #expect(!allowed.contains("pmo"), "\(module) may not import the host")
            if module != "PMORepl" { #expect(!allowed.contains("PMORepl"), "\(module) may not import the prompt") }
            if ["PMOBase", "PMOSyntax", "Portfolio", "PMORuntime", "PMORender", "Workspace"].contains(module) {
                #expect(!allowed.contains("ArgumentParser"), "\(module) is a library: no argument parsing")
            }
        }
        for module in ["Workspace", "Portfolio", "PMOSyntax", "PMOBase"] {
            #expect(rules[module]?.contains("PMORuntime") == false, "\(module) sits below the runtime")
        }
    }

    @Test func theFileTableNamesEveryFileAndOnlyFilesThatExist() throws {
        let text = try Self.read("ARCHITECTURE.md")
        let files = try Self.sourceFiles()
        let names = Set(files.map { String($0.split(separator: "/").last ?? "") })
        for file in files {
            let name = String(file.split(separator: "/").last ?? "")
            #expect(text.contains("`\(name)`") || text.contains("`\(file.dropFirst("Sources/".count))`"),
                    "ARCHITECTURE.md's file table does not name \(file)")
        }
        // Every `Name.swift` the document names exists (in Sources, or in Tests/Fuzz where it says so).
        let elsewhere = try Self.otherSwiftFiles()
        for piece in text.split(separator: "`").enumerated() where piece.offset % 2 == 1 {
            let word = String(piece.element)
            guard word.hasSuffix(".swift"), !word.contains(" ") else { continue }
            let name = String(word.split(separator: "/").last ?? "")
            #expect(names.contains(name) || elsewhere.contains(name), "ARCHITECTURE.md names \(word), which does not exist")
        }
    }

    static func otherSwiftFiles() throws -> Set<String> {
        var names: Set<String> = []
        for dir in ["Tests", "Fuzz", "Benchmarks"] {
            guard let walk = FileManager.default.enumerator(atPath: root.appendingPathComponent(dir).path) else { continue }
            for case let path as String in walk where path.hasSuffix(".swift") && !path.contains(".build") {
                names.insert(String(path.split(separator: "/").last ?? ""))
            }
        }
        return names
    }

    /// The library returns values and diagnostics; only the hosts (pmo, PMORepl) print or exit.
    @Test func theLibraryNeverPrintsOrExits() throws {
        let library = ["PMOBase", "PMOSyntax", "Portfolio", "PMORuntime", "PMORender", "Workspace"]
        let forbidden = [#"^\s*(Swift\.)?print\("#, #"[^A-Za-z_.]exit\(\s*(EXIT_|-?[0-9])"#, #"(Foundation|Glibc|Darwin)\.exit\("#, "FileHandle.standard",
                         #"\bfputs\("#, #"\bputs\("#, "stdout", "stderr"]
        let patterns = try forbidden.map { try Regex($0) }
        for file in try Self.sourceFiles() where file.hasSuffix(".swift") && library.contains(String(file.split(separator: "/")[1])) {
            for (n, line) in try Self.read(file).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") || code.hasPrefix("///") { continue }
                for (i, p) in patterns.enumerated() where (try? p.firstMatch(in: String(line))) != nil {
                    Issue.record("\(file):\(n + 1): a library module writes to the terminal or exits (\(forbidden[i])): \(code)")
                }
            }
        }
    }

    /// Files have one job and stay small; the generated demo is the one exception.
    @Test func sourceFilesStaySmall() throws {
        for file in try Self.sourceFiles() where file.hasSuffix(".swift") && !file.hasSuffix("DemoData.swift") {
            let lines = try Self.read(file).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 500, "\(file) has \(lines) lines: split it (ARCHITECTURE.md: one job per file, mostly under 400 lines)")
        }
    }

    /// The test itself can fail: a forbidden import is found in a made-up file.
    @Test func theImportReaderSeesEveryForm() {
        #expect(Self.imports(of: "import Foundation\n@testable import PMORuntime\nimport struct GRDB.Row\n// import Nope\n") == ["Foundation", "PMORuntime", "GRDB"])
    }
}
