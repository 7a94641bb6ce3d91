// Issue 14: input that is not UTF-8 is an error naming file, line and column (never stored as
// U+FFFD), unless --encoding says what it is; UTF-8 and UTF-16 byte-order marks are recognised in
// CSV, JSON and MS Project XML.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct EncodingTests {
    /// `people.csv` with a Windows-1252 é (0xE9) in "Ren\u{E9}e" on line 3.
    static let windowsBytes: [UInt8] = Array("id,name,email\nP-900,Ann,ann@example.com\nP-901,Ren".utf8) + [0xE9] + Array("e,renee@example.com\n".utf8)

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for u in text.utf16 { out += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)] }
        return out
    }

    static func name(_ ws: Workspace, _ id: String) throws -> String? {
        let store = try ws.loadStore(cache: .never)
        guard let r = store.find(.person, key: id) else { return nil }
        return store.table(.person).column("name")?.string(Int(r))
    }

    @Test func bytesThatAreNotUTF8AreAnErrorWithTheirPlace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let counts = try ws.counts()
        let path = dir.file("people.csv")
        try Data(Self.windowsBytes).write(to: URL(fileURLWithPath: path))
        let e = try #require(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [path])) })
        #expect(e.kind == .badData)
        #expect(e.description.hasPrefix(path + ":3:10: error: the file is not valid UTF-8: byte 0xE9 here is not text"), "\(e.description)")
        #expect(e.message.contains("--encoding windows-1252"))
        #expect(try ws.counts() == counts)
        // Said to be Windows-1252, it imports as é.
        try ws.importFiles(ImportRequest(paths: [path], encoding: .windows1252))
        #expect(try Self.name(ws, "P-901") == "Ren\u{E9}e")
    }

    @Test func windows1252AndLatin1DifferOnlyIn0x80To0x9F() throws {
        let bytes: [UInt8] = [0x80, 0x20, 0xE9, 0x20, 0x93, 0x71, 0x94]
        #expect(String(decoding: try TextDecoding.utf8(bytes, encoding: .windows1252), as: UTF8.self) == "\u{20AC} \u{E9} \u{201C}q\u{201D}")
        #expect(String(decoding: try TextDecoding.utf8(bytes, encoding: .latin1), as: UTF8.self) == "\u{80} \u{E9} \u{93}q\u{94}")
        // Overlong forms, surrogates and truncated sequences are not UTF-8.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF5, 0x80, 0x80, 0x80], [0x41, 0xFF]] {
            #expect(throws: EncodingError.self) { try TextDecoding.validate(bad) }
        }
        #expect(try TextDecoding.utf8(Array("ok \u{1F600}".utf8)) == Array("ok \u{1F600}".utf8))
        // Lines end at LF, CRLF and a lone CR, as the CSV reader counts them.
        do {
            try TextDecoding.validate(Array("a\rb\r\nc\nd".utf8) + [0xE9])
            Issue.record("0xE9 at the end was taken for UTF-8")
        } catch {
            #expect(error.line == 4 && error.column == 2)
        }
    }

    @Test(arguments: [false, true]) func byteOrderMarksInCSVJSONAndXML(_ bigEndian: Bool) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let csv = dir.file("people.csv")
        try Data(Self.utf16("id,name\nP-910,Zo\u{EB}\n", bigEndian: bigEndian)).write(to: URL(fileURLWithPath: csv))
        let json = dir.file("more.json")
        try Data(Self.utf16("{\"people\": [{\"id\": \"P-911\", \"name\": \"J\u{F8}rn\"}]}", bigEndian: bigEndian)).write(to: URL(fileURLWithPath: json))
        let bom = dir.file("bom/people.csv")
        try dir.write("bom/.keep", "")
        try Data([0xEF, 0xBB, 0xBF] + Array("id,name\nP-912,Ana\n".utf8)).write(to: URL(fileURLWithPath: bom))
        try ws.importFiles(ImportRequest(paths: [csv]))
        try ws.importFiles(ImportRequest(paths: [json]))
        try ws.importFiles(ImportRequest(paths: [bom]))
        #expect(try Self.name(ws, "P-910") == "Zo\u{EB}")
        #expect(try Self.name(ws, "P-911") == "J\u{F8}rn")
        #expect(try Self.name(ws, "P-912") == "Ana")
        // An MS Project file saved as UTF-16 (what Project writes with "Save as XML" on some systems).
        let xml = dir.file("plan.xml")
        let text = """
            <?xml version="1.0" encoding="UTF-16"?>
            <Project xmlns="http://schemas.microsoft.com/project"><Tasks>
            <Task><UID>1</UID><Name>Cut\u{F6}ver</Name><OutlineLevel>1</OutlineLevel></Task>
            </Tasks></Project>

            """
        try Data(Self.utf16(text, bigEndian: bigEndian)).write(to: URL(fileURLWithPath: xml))
        let s = try ws.importFiles(ImportRequest(paths: [xml], project: "PRJ-0001"))
        #expect(s.inserted[.task] == 1)
    }

    @Test func dataFoldersRefuseBytesThatAreNotUTF8() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try dir.write("data/.keep", "")
        try Data(Self.windowsBytes).write(to: URL(fileURLWithPath: dir.file("data/people.csv")))
        do {
            _ = try PortfolioLoader.load(directory: dir.file("data"))
            Issue.record("a folder with Windows-1252 bytes loaded")
        } catch {
            #expect(error.file == dir.file("data/people.csv") && error.line == 3 && error.column == 10, "\(error)")
            #expect(error.message.contains("not valid UTF-8"))
        }
    }
}
