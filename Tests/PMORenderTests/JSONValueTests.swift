// JSON documents as values (SARIF, the findings history): keys in the order given, strings through
// Escape.json, compact and pretty forms that JSONSerialization reads back to the same value.
import Foundation
import Testing
@testable import PMORender

@Suite struct JSONValueTests {
    static let doc: JSONValue = .object([
        ("z", .int(-3)), ("a", .array([.bool(true), .null, .string("é \"q\"\n")])), ("empty", .object([])), ("none", .array([])),
    ])

    @Test func compactKeepsTheOrderGiven() {
        #expect(Self.doc.compact == #"{"z": -3, "a": [true, null, "é \"q\"\n"], "empty": {}, "none": []}"#)
    }

    @Test func prettyIsIndentedByTwo() {
        #expect(Self.doc.pretty == """
        {
          "z": -3,
          "a": [
            true,
            null,
            "é \\"q\\"\\n"
          ],
          "empty": {},
          "none": []
        }

        """)
    }

    @Test func bothFormsParseBackToTheSameValues() throws {
        for text in [Self.doc.compact, Self.doc.pretty] {
            let parsed = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(parsed["z"] as? Int == -3)
            #expect((parsed["a"] as? [Any])?.last as? String == "é \"q\"\n")
            #expect((parsed["empty"] as? [String: Any])?.isEmpty == true)
        }
    }
}
