// One --format option for every command, parsed as given (no rewriting of the command line): check
// and test also take junit and sarif; elsewhere those are refused with the formats that apply.
import XCTest

final class FormatOptionTests: XCTestCase {
    var rules: String { CheckCommandTests.rules }

    func testCheckTakesJUnitAndSARIFInEverySpelling() throws {
        for args in [["--format", "sarif"], ["--format=sarif"]] {
            let r = try PMOProcess.run(["check", rules, "--fail-on", "never"] + args)
            XCTAssertEqual(r.status, 0, r.stderr)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(json["version"] as? String, "2.1.0")
        }
        let j = try PMOProcess.run(["check", "--format", "junit", rules, "--fail-on", "never"])
        XCTAssertEqual(j.status, 0, j.stderr)
        XCTAssertTrue(j.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pmo check\""), j.stdout)
    }

    func testCIReportsAreRefusedWhereTheyDoNotApply() throws {
        for args in [["-c", "count(projects)", "--format", "junit"], ["query", "count(projects)", "--format=sarif"]] {
            let r = try PMOProcess.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("is a report of pmo check and pmo test; here write table, csv, json, jsonl, md or html"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let t = try PMOProcess.run(["test", rules, "--format", "sarif"])
        XCTAssertEqual(t.status, 64)
        XCTAssertTrue(t.stderr.contains("pmo test reports as text or --format junit"), t.stderr)
    }

    /// A script named like a subcommand's word is not taken for one: `--format junit` after a script
    /// called `check.pmo` is still refused for `pmo run`.
    func testNoWordOfTheCommandLineChangesHowFormatIsRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "count(projects)\n".write(to: dir.appendingPathComponent("check"), atomically: true, encoding: .utf8)
        let r = try PMOProcess.run(["run", "check", "--format", "junit"], cwd: dir)
        XCTAssertEqual(r.status, 64, r.stdout + r.stderr)
    }
}
