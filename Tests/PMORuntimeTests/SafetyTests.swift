// Safe by default: a script cannot run a command, reach the network or write a file by itself.
// The language has no such built-in; the library modules a script runs in (PMOBase, PMOSyntax,
// Portfolio, PMORuntime) call no process, socket or network API; the only file a script can make
// the session read is a `use`d file, through the host's callback; and `export` is an output that
// the host writes under its own policy (Sources/pmo/ExportPolicy.swift), never the library.
import Foundation
import Testing
import PMOBase
import PMOSyntax
@testable import PMORuntime

@Suite struct SafetyTests {
    /// Names a command, network or file built-in would have.
    static let forbidden = [
        "system", "exec", "shell", "sh", "bash", "run", "spawn", "popen", "command", "cmd",
        "http", "https", "fetch", "get", "post", "url", "curl", "wget", "socket", "connect", "download", "request",
        "open", "read", "write", "file", "readfile", "writefile", "delete", "remove", "env", "getenv", "eval", "sleep",
    ]

    @Test func noBuiltinRunsCommandsOrReachesTheNetwork() {
        let names = Set(Compiler.allFunctionNames.map { $0.lowercased() })
        for name in SafetyTests.forbidden {
            #expect(!names.contains(name), "a built-in called '\(name)'")
        }
    }

    @Test(arguments: ["system(\"ls\")", "exec(\"rm -rf /\")", "fetch(\"https://example.com\")", "http(\"example.com\")",
                      "read(\"/etc/passwd\")", "write(\"x.txt\", \"y\")", "env(\"HOME\")"])
    func commandLikeCallsAreUnknownFunctions(_ text: String) {
        let r = Fixture.run(text)
        #expect(r.outputs.isEmpty)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.message.hasPrefix("unknown function '") == true, "\(r.diagnostics)")
    }

    /// Process, network and file-writing APIs: none may appear in the modules that run scripts.
    static let forbiddenAPIs = [
        "Process(", "posix_spawn", "popen(", "system(", "execv", "execl", "fork(", "dlopen(",
        "URLSession", "URLRequest", "FoundationNetworking", "socket(", "connect(", "getaddrinfo",
        "fopen(", "O_WRONLY", "O_CREAT", "FileManager", "unlink(", "rename(", "mkdir(",
    ]

    @Test(arguments: ["PMOBase", "PMOSyntax", "Portfolio", "PMORuntime"])
    func libraryModulesCallNoProcessNetworkOrWriteAPI(_ module: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let dir = root.appendingPathComponent("Sources").appendingPathComponent(module)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        // The portfolio generator writes the CSV files of `pmo generate`, which the host asks for; no script can reach it.
        for name in files where !(module == "Portfolio" && name.hasPrefix("Generator")) {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            for api in SafetyTests.forbiddenAPIs {
                #expect(!code.contains(api), "\(module)/\(name) uses \(api)")
            }
        }
    }

    @Test func exportIsAnOutputTheLibraryNeverWrites() throws {
        let name = "pmo-safety-\(UUID().uuidString).csv"
        let r = Fixture.run("export projects | select id to \"\(name)\"")
        #expect(r.diagnostics.isEmpty && r.runtimeError == nil)
        guard case .export(let table, let path, _)? = r.outputs.first else {
            Issue.record("no export output: \(r.outputs)")
            return
        }
        #expect(path == name)
        #expect(table.rows.count == 4)
        #expect(!FileManager.default.fileExists(atPath: name))
    }

    @Test func useReadsOnlyThroughTheHost() {
        var asked: [String] = []
        let sources = SourceMap()
        let s = Session(store: Fixture.shared, sources: sources,
                        options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)),
                        readFile: { asked.append($0); return nil })
        let (compiled, diagnostics) = s.compile(sources.add(name: "main.pmo", text: "use \"/etc/passwd\"\n"))
        #expect(compiled == nil)
        #expect(asked == ["/etc/passwd"])
        #expect(diagnostics.map(\.message) == ["cannot read '/etc/passwd'"])
    }
}
