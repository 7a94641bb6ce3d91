// Every examples/*.pmo script runs on the demo portfolio and prints what its `# expect:` lines say.
import Foundation
import Testing

@Suite struct ExampleScriptTests {
    static let scripts: [String] = {
        let dir = Repo.root.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".pmo") }.sorted()
    }()

    @Test func thereAreExamples() {
        #expect(Self.scripts.count >= 6)
        #expect(Repo.demo != nil)
    }

    @Test(arguments: scripts)
    func example(_ name: String) throws {
        let path = "examples/" + name
        let text = try String(contentsOf: Repo.root.appendingPathComponent(path), encoding: .utf8)
        let want = Expectations(text)
        #expect(!want.output.isEmpty || !want.errors.isEmpty || want.runtimeError != nil, "\(name) has no expectations")
        let got = ScriptRunner.run(name: path, text: text)
        #expect(got.errors == want.errors, "\(name): check errors")
        #expect(got.runtimeError == want.runtimeError, "\(name): runtime error")
        #expect(got.lines == want.output, "\(name): output\n\(got.lines.map { "# expect: " + $0 }.joined(separator: "\n"))")
    }
}
