// A JSON document built as a value and written by pmo's one JSON writer (`Escape.json` for strings):
// objects keep their keys in the order given, so documents such as SARIF read in a stable order.
import PMOBase

public indirect enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.compact == b.compact }

    /// On one line: `{"a": 1, "b": [true, null]}`.
    public var compact: String {
        switch self {
        case .object(let members): return "{" + members.map { Escape.json($0.0) + ": " + $0.1.compact }.joined(separator: ", ") + "}"
        case .array(let items): return "[" + items.map(\.compact).joined(separator: ", ") + "]"
        default: return scalar
        }
    }

    /// Indented by two spaces per level, one member or item per line, ending in a newline.
    public var pretty: String { pretty(indent: "") + "\n" }

    func pretty(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + Escape.json($0.0) + ": " + $0.1.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return scalar
        }
    }

    private var scalar: String {
        switch self {
        case .string(let s): return Escape.json(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null, .object, .array: return "null"
        }
    }
}
