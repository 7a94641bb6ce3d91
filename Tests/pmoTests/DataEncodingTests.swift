// Issue 14: a --data folder whose CSV is not UTF-8 is an error with file:line:col (never U+FFFD),
// and --encoding reads it as pmo import does.
import Foundation
import XCTest

final class DataEncodingTests: XCTestCase {
    func testADataFolderInWindows1252NeedsItsEncoding() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-dataenc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let people = Array("id,name,email,department\nP-900,Ann,ann@example.com,PMO\nP-901,Ren".utf8) + [0xE9] + Array("e,renee@example.com,PMO\n".utf8)
        try Data(people).write(to: dir.appendingPathComponent("people.csv"))
        try Data("key,value\nstatus_date,2026-11-20\n".utf8).write(to: dir.appendingPathComponent("settings.csv"))
        let plain = try PMOProcess.run(["-c", "people | select name", "--data", dir.path, "--format", "csv"], env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertEqual(plain.status, 65, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("people.csv:3:10: error:"), plain.stderr)
        XCTAssertFalse(plain.stdout.contains("\u{FFFD}"))
        let read = try PMOProcess.run(["-c", "people | select name", "--data", dir.path, "--format", "csv", "--encoding", "windows-1252"],
                                      env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "name\nAnn\nRen\u{E9}e\n")
        let unknown = try PMOProcess.run(["-c", "people", "--data", dir.path, "--encoding", "ebcdic"], env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown encoding 'ebcdic'"), unknown.stderr)
    }
}
