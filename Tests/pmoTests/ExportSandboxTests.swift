// Where `export ... to` may write: under the current directory, or under a --allow-write directory,
// and never elsewhere by `..`, an absolute path or a symbolic link (Sources/pmo/ExportPolicy.swift).
// A refused export is a runtime failure (exit 70) that names the reason; nothing is written.
import Foundation
import XCTest

final class ExportSandboxTests: XCTestCase {
    var fixture: Fixture!
    /// The current directory of every run.
    var work: URL!
    /// A directory outside it.
    var outside: URL!

    override func setUpWithError() throws {
        fixture = try Fixture()
        work = fixture.root.appendingPathComponent("work")
        outside = fixture.root.appendingPathComponent("outside")
        for d in [work!, outside!] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
    }

    override func tearDown() {
        fixture.remove()
    }

    func export(to target: String, _ extra: [String] = []) throws -> PMOResult {
        let r = try PMOProcess.run(["--data", fixture.data.path, "-c", "export projects | select id to \"\(target)\""] + extra, cwd: work)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    func testDotDotCannotLeaveTheCurrentDirectory() throws {
        for target in ["../outside/x.csv", "sub/../../outside/x.csv", "./../outside/x.csv"] {
            let r = try export(to: target)
            XCTAssertEqual(r.status, 70, "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is outside the current directory"), r.stderr)
            XCTAssertTrue(r.stderr.contains("--allow-write"), r.stderr)
        }
        XCTAssertFalse(exists(outside.appendingPathComponent("x.csv")))
    }

    func testDotDotThatStaysInsideIsFine() throws {
        try FileManager.default.createDirectory(at: work.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let r = try export(to: "sub/../inside.csv")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(exists(work.appendingPathComponent("inside.csv")))
    }

    func testAbsolutePathsOutsideAreRefusedAndInsideAllowed() throws {
        let r = try export(to: outside.appendingPathComponent("abs.csv").path)
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertFalse(exists(outside.appendingPathComponent("abs.csv")))
        let inside = try export(to: work.appendingPathComponent("abs.csv").path)
        XCTAssertEqual(inside.status, 0, inside.stderr)
        XCTAssertTrue(exists(work.appendingPathComponent("abs.csv")))
    }

    func testSymlinkedDirectoryCannotLeadOutside() throws {
        try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("link"), withDestinationURL: outside)
        let r = try export(to: "link/x.csv")
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("leads outside the current directory (through a symbolic link)"), r.stderr)
        XCTAssertFalse(exists(outside.appendingPathComponent("x.csv")))
    }

    /// A symbolic link in the file's own place is replaced by the new file (the export is a rename
    /// over it), so the file it pointed to outside is never written.
    func testSymlinkedFileIsReplacedNotFollowed() throws {
        let target = outside.appendingPathComponent("precious.csv")
        try Data("precious\n".utf8).write(to: target)
        let link = work.appendingPathComponent("victim.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let r = try export(to: "victim.csv")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "precious\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular)
        XCTAssertTrue((try String(contentsOf: link, encoding: .utf8)).hasPrefix("id\r\n"))
    }

    func testAllowWriteOpensOneMoreDirectoryOnly() throws {
        let r = try export(to: outside.appendingPathComponent("ok.csv").path, ["--allow-write", outside.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(exists(outside.appendingPathComponent("ok.csv")))
        // A link inside the allowed directory that leads out of both is still refused.
        let elsewhere = fixture.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: outside.appendingPathComponent("out"), withDestinationURL: elsewhere)
        let escape = try export(to: outside.appendingPathComponent("out/x.csv").path, ["--allow-write", outside.path])
        XCTAssertEqual(escape.status, 70, escape.stderr)
        XCTAssertFalse(exists(elsewhere.appendingPathComponent("x.csv")))
        // A directory that does not exist cannot be allowed.
        let missing = try export(to: "x.csv", ["--allow-write", fixture.root.appendingPathComponent("missing").path])
        XCTAssertEqual(missing.status, 64, missing.stderr)
    }
}
