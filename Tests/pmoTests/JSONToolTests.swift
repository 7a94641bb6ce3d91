// JSON for jq: money as a number beside its currency, JSON Lines, and a top-level shape that
// depends on the command, never on the data (README "JSON output"). Piped through the real jq.
import Foundation
import XCTest
import TestSupport

final class JSONToolTests: XCTestCase {
    /// Runs `pmo ARGS | jq FILTER` on the bundled demo; fails (in CI) when jq is missing.
    func jq(_ filter: String, _ args: [String], raw: Bool = true) throws -> String {
        let r = try PMOProcess.run(args + ["--as-of", "2026-11-13"])
        XCTAssertEqual(r.status, 0, r.stderr)
        guard let jq = ["/usr/bin/jq", "/usr/local/bin/jq", "/opt/homebrew/bin/jq"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("jq is not installed (.ci/run installs it)") }
            throw TestEnvironment.unavailable("jq is not installed", skip: { XCTSkip($0) })
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: jq)
        p.arguments = (raw ? ["-r"] : []) + [filter]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        p.limit()
        input.fileHandleForWriting.write(Data(r.stdout.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "jq did not finish within \(TestEnvironment.processLimit) s")
        XCTAssertEqual(p.terminationStatus, 0, "jq failed on:\n\(r.stdout)\n\(String(decoding: err, as: UTF8.self))")
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The project with the largest budget, by pmo itself.
    func biggest() throws -> String {
        let r = try PMOProcess.run(["-c", "projects | sort bac desc, id | take 1 | select id", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }

    func testJqMaxByMoneyPicksTheLargestBudget() throws {
        let expected = try biggest()
        XCTAssertEqual(expected, "PRJ-0001")
        XCTAssertEqual(try jq("max_by(.bac.amount).id", ["-c", "projects", "--format", "json"]), expected)
        // Money is a number, so `add` sums instead of concatenating text.
        let total = try jq("map(.bac.amount) | add", ["-c", "projects where id in [\"PRJ-0001\", \"PRJ-0002\"]", "--format", "json"])
        XCTAssertEqual(total, "20500000")
        XCTAssertEqual(try jq("[.[].bac.currency] | unique | join(\",\")", ["-c", "projects", "--format", "json"]), "USD")
    }

    func testJsonLinesOneObjectPerRow() throws {
        let expected = try biggest()
        let r = try PMOProcess.run(["-c", "projects | select id, bac", "--format", "jsonl"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 37)
        for line in lines { XCTAssertTrue(line.hasPrefix("{\"id\": \"PRJ-") && line.hasSuffix("}"), String(line)) }
        XCTAssertEqual(try jq("select(.bac.amount >= 12000000) | .id", ["-c", "projects", "--format", "jsonl"]), expected)
    }

    func testExactDigitsOfMoney() throws {
        let r = try PMOProcess.run(["-c", "projects where id = \"PRJ-0001\" | select bac", "--format", "json"])
        XCTAssertEqual(r.stdout, "[\n  {\"bac\": {\"amount\": 12000000.00, \"currency\": \"USD\"}}\n]\n")
    }

    /// One statement on `-c`: its result itself; a script: always an array of results, even of one.
    func testTopLevelShapeDependsOnTheCommandNotTheData() throws {
        XCTAssertEqual(try PMOProcess.run(["-c", "count(projects)", "--format", "json"]).stdout, "37\n")
        XCTAssertEqual(try PMOProcess.run(["-c", "projects where id = \"none\"", "--format", "json"]).stdout, "[]\n")
        // --quiet keeps cron silent when there is nothing to act on.
        XCTAssertEqual(try PMOProcess.run(["-c", "projects where id = \"none\"", "--format", "json", "--quiet"]).stdout, "")
        XCTAssertEqual(try jq("type", ["-c", "count(projects)\ncount(tasks)", "--format", "json"]), "array")
        XCTAssertEqual(try jq("length", ["-c", "count(projects)\ncount(tasks)", "--format", "json"]), "2")
        let script = try PMOProcess.run(["run", "-", "--format", "json"], stdin: "count(projects)\n")
        XCTAssertEqual(script.stdout, "[\n  37\n]\n", script.stderr)
        let rows = try PMOProcess.run(["run", "-", "--format", "json"], stdin: "projects | take 1 | select id\n")
        XCTAssertEqual(rows.stdout, "[\n  [\n    {\"id\": \"PRJ-0001\"}\n  ]\n]\n", rows.stderr)
    }
}
