// Loading a portfolio from CSV texts held in memory: what an import builds from its files (after a
// column mapping, or from JSON or MS Project XML) before anything is written to a workspace.

/// The CSV text of one entity set, with the name its errors carry (`path:line:col: error: ...`).
public struct CSVSource: Sendable {
    public var kind: EntityKind
    public var name: String
    public var bytes: [UInt8]
    /// The file's name in messages (`jira.csv`); nil: `<set>.csv`.
    public var displayName: String?

    public init(kind: EntityKind, name: String, bytes: [UInt8], displayName: String? = nil) {
        self.kind = kind; self.name = name; self.bytes = bytes; self.displayName = displayName
    }
}

extension PortfolioLoader {
    /// Loads the given sets (at most one source per set; a set without a source is empty) exactly as
    /// `load(directory:)` loads files, with the same checks and errors. All-or-nothing.
    /// With `problems`, bad cells are recorded there and the load reads on; the first is thrown at the end.
    public static func load(sources: [CSVSource], settings: Settings = Settings(),
                            problems: LoadProblems? = nil) throws(LoadError) -> PortfolioStore {
        var byKind = [Int?](repeating: nil, count: EntityKind.allCases.count)
        for (i, s) in sources.enumerated() {
            if let other = byKind[s.kind.rawValue] {
                throw LoadError(file: s.name, line: 0, column: 0,
                                message: "\(s.kind.setName) is given twice (also by \(sources[other].name))")
            }
            byKind[s.kind.rawValue] = i
        }
        return try build(settings: settings, problems: problems) { k throws(LoadError) in
            guard let i = byKind[k.rawValue] else { return nil }
            return (sources[i].name, CSVReader(bytes: sources[i].bytes), sources[i].displayName)
        }
    }
}

/// Did-you-mean hints for names (set names, columns), as the loader gives them.
public enum NameHint {
    /// `"; did you mean 'x'?"` when a candidate is close to `name`, else an empty string.
    public static func hint(_ name: String, _ candidates: [String]) -> String { Suggest.hint(name, candidates) }
}
