// `pmo import`: reads CSV, JSON and MS Project XML files, checks them against what the workspace
// already holds, and writes them in one transaction, so the workspace changes whole or not at all.
//
// How: every input becomes one CSV text per entity set. Inside the write transaction the sets the
// input touches (and every set they refer to) are loaded from the workspace; the loader then reads
// each incoming text followed by the workspace's other rows of that set, so references, parents,
// cycles and duplicate ids are checked against the result exactly as `--data` checks a folder.
// Only the incoming rows are written: an id already in the workspace is updated (fields the input
// has no column for keep their value), a new id is added; sets without ids use their natural key.
import GRDB
import PMOBase
import Portfolio

/// What to import and how.
public struct ImportRequest: Sendable {
    /// Files and directories (a directory: its `<set>.csv` files and `settings.csv`).
    public var paths: [String]
    /// The set a single CSV file or JSON array holds (`--as`).
    public var asSet: EntityKind?
    /// Column renames (`--map`).
    public var map: ColumnMap
    /// The project an MS Project file's tasks belong to (`--project`).
    public var project: String?
    /// The encoding of the files (`--encoding`); nil: UTF-8 (a UTF-16 byte-order mark decides by itself).
    public var encoding: InputEncoding?
    /// How the CSV files are written (`--delimiter`, `--date-format`, `--decimal-comma`); the map file's dialect fills the rest.
    public var dialect: CSVDialect
    /// `--dry-run`: everything is read and checked, and the transaction is rolled back.
    public var dryRun: Bool

    public init(paths: [String], asSet: EntityKind? = nil, map: ColumnMap = ColumnMap(), project: String? = nil,
                encoding: InputEncoding? = nil, dialect: CSVDialect = CSVDialect(), dryRun: Bool = false) {
        self.paths = paths; self.asSet = asSet; self.map = map; self.project = project; self.encoding = encoding
        self.dialect = dialect; self.dryRun = dryRun
    }
}

/// How many problems an import reports at most.
public enum ImportLimits {
    public static let problems = 100
}

extension Workspace {
    /// Imports files into the workspace, all or nothing.
    /// The differences from the workspace are journalled as one batch (by "pmo", effective on the
    /// status date, else today, when `journalling` is nil).
    @discardableResult
    public func importFiles(_ request: ImportRequest, journalling: ImportJournalling? = nil) throws(WorkspaceError) -> ImportSummary {
        var input = try ImportInput.gather(request)
        let problems = LoadProblems(limit: ImportLimits.problems)
        let dialect = request.dialect.over(request.map.dialect)
        var people: [EntityKind: PeopleDirectory] = [:]
        if !request.map.people.isEmpty {
            people = PeopleDirectory.load(store: try loadStore(sets: [.person, .resource]), parts: input.parts)
        }
        for i in input.parts.indices {
            if input.parts[i].rawCSV { input.parts[i].separator = request.dialect.separator ?? request.map.dialect.separator }
        }
        for i in input.parts.indices {
            try CSVImport.prepare(&input.parts[i], map: request.map, dialect: dialect, people: people, problems: problems)
        }
        for i in input.parts.indices { try input.parts[i].scan() }
        let path = self.path
        return try write(commit: !request.dryRun) { db in
            try DataGeneration.changing(db) {
                var importer = Importer(db: db, path: path, input: input)
                importer.problems = problems
                importer.journalling = journalling ?? ImportJournalling(effective: nil, stamp: .now(by: "pmo"))
                return try importer.run()
            }
        }
    }
}

/// The parts and settings of an import, read from its files.
struct ImportInput {
    var parts: [ImportPart] = []
    var settings: PortfolioLoader.Settings?
    /// `waivers.csv` (what `pmo export --all` writes): stored waivers, keyed by rule, set and entity.
    var waivers: [StoredWaiver]?
    var waiversFile = ""

    static func gather(_ r: ImportRequest) throws(WorkspaceError) -> ImportInput {
        var input = ImportInput()
        if r.paths.isEmpty { throw WorkspaceError(.usage, "nothing to import: name files or directories") }
        if r.asSet != nil && r.paths.count > 1 { throw WorkspaceError(.usage, "--as names the set of one file; \(r.paths.count) were given") }
        let names = EntityKind.allCases.map(\.setName)
        for path in r.paths {
            if InputFiles.isDirectory(path) {
                if r.asSet != nil { throw WorkspaceError(.usage, "--as names the set of one file; '\(path)' is a directory") }
                var found = false
                for name in try InputFiles.list(path) where name.hasSuffix(".csv") {
                    found = true
                    let file = InputFiles.join(path, name)
                    let set = String(name.dropLast(4))
                    if set == "settings" { try input.addSettings(file); continue }
                    if set == "waivers" { try input.addWaivers(file, r.encoding); continue }
                    guard let k = EntityKind(setName: set) else {
                        throw WorkspaceError(.usage, "'\(file)': no entity set is called '\(set)'" + NameHint.hint(set, names))
                    }
                    try input.add(CSVImport.part(path: file, kind: k, encoding: r.encoding))
                }
                if !found { throw WorkspaceError(.missing, "no CSV files in directory '\(path)'") }
                continue
            }
            guard InputFiles.exists(path) else { throw WorkspaceError(.missing, "'\(path)' does not exist") }
            let base = InputFiles.baseName(path)
            let dot = base.lastIndex(of: ".")
            let stem = dot.map { String(base[..<$0]) } ?? base
            let ext = dot.map { base[base.index(after: $0)...].lowercased() } ?? ""
            switch ext {
            case "csv":
                if stem == "settings" && r.asSet == nil { try input.addSettings(path); continue }
                if stem == "waivers" && r.asSet == nil { try input.addWaivers(path, r.encoding); continue }
                guard let k = r.asSet ?? EntityKind(setName: stem) else {
                    throw WorkspaceError(.usage, "cannot tell which entity set '\(base)' holds: name the file after its set "
                                         + "(projects.csv) or pass --as SET" + NameHint.hint(stem, names))
                }
                try input.add(CSVImport.part(path: path, kind: k, encoding: r.encoding))
            case "json":
                for p in try JSONImport.parts(path: path, as: r.asSet, map: r.map, encoding: r.encoding) { try input.add(p) }
            case "xml", "mspdi":
                if r.asSet != nil { throw WorkspaceError(.usage, "--as does not apply to an MS Project file") }
                guard let project = r.project, !project.isEmpty else {
                    throw WorkspaceError(.usage, "importing the MS Project file '\(path)' needs --project ID: the project its tasks belong to")
                }
                for p in try MSPDIImport.parts(path: path, project: project, encoding: r.encoding) { try input.add(p) }
            default:
                throw WorkspaceError(.usage, "'\(path)': unknown kind of file (expected .csv, .json or MS Project .xml)")
            }
        }
        return input
    }

    mutating func add(_ p: ImportPart) throws(WorkspaceError) {
        if let other = parts.first(where: { $0.kind == p.kind }) {
            throw WorkspaceError(.usage, "\(p.kind.setName) is given twice: by '\(other.file)' and by '\(p.file)'")
        }
        parts.append(p)
    }

    mutating func addWaivers(_ path: String, _ encoding: InputEncoding?) throws(WorkspaceError) {
        if waivers != nil { throw WorkspaceError(.usage, "waivers are given twice (again by '\(path)')") }
        waivers = try WaiverFile.read(path, encoding: encoding)
        waiversFile = path
    }

    mutating func addSettings(_ path: String) throws(WorkspaceError) {
        if settings != nil { throw WorkspaceError(.usage, "settings are given twice (again by '\(path)')") }
        do { settings = try PortfolioLoader.readSettings(path) } catch { throw WorkspaceError(data: error) }
    }
}

struct Importer {
    static let partTag = "\u{1}part:"
    static let baseTag = "\u{1}base:"

    let db: Database
    let path: String
    var input: ImportInput
    /// How the differences are journalled (ImportJournal.swift).
    var journalling: ImportJournalling?
    /// Every problem found (the dialect's and the loader's), reported together.
    var problems = LoadProblems(limit: ImportLimits.problems)

    init(db: Database, path: String, input: ImportInput) { self.db = db; self.path = path; self.input = input }

    mutating func run() throws -> ImportSummary {
        let incoming = Set(input.parts.map(\.kind))
        let wanted = WorkspaceModel.closure(incoming)
        var reader = StoreReader(db: db, path: path)
        let base = try reader.load(wanted)
        var settings = try SettingsCodec.read(db, path: path)
        if let s = input.settings {
            settings.currency = s.currency ?? settings.currency
            settings.fiscalYearStart = s.fiscalYearStart ?? settings.fiscalYearStart
            settings.statusDate = s.statusDate ?? settings.statusDate
            settings.green = s.green ?? settings.green
            settings.amber = s.amber ?? settings.amber
        }
        let merged: PortfolioStore
        let texts = try sources(base, wanted)
        do {
            merged = try PortfolioLoader.load(sources: texts, settings: settings, problems: problems)
        } catch {
            throw allProblems(error)
        }
        try checkNaturalKeys(merged)
        let batches = batches(merged)
        // The journal records the writer's own row-by-row diff (read after writing, in the same
        // transaction), so it says exactly what the import did.
        let ridsBefore = journalling == nil ? [:] : try ImportJournal.ridsBefore(db, base: base, batches: batches)
        var writer = StoreWriter(db: db, store: merged)
        try writer.write(batches, existing: base)
        if let journalling {
            let files = input.parts.map(\.file) + (input.settings != nil ? ["settings"] : [])
            try ImportJournal.record(db, base: base, merged: merged, batches: batches, diffs: writer.summary.diffs,
                                     ridsBefore: ridsBefore, source: "import " + files.joined(separator: " "), how: journalling)
        }
        if let s = input.settings {
            try SettingsCodec.write(s, db)
            writer.summary.settingsChanged = true
        }
        if let waivers = input.waivers {
            try WaiverFile.store(waivers, db, file: input.waiversFile, store: merged)
            writer.summary.waivers = waivers.count
        }
        return writer.summary
    }

    /// The loader's input: each incoming text followed by the workspace's other rows of its set, and
    /// the id and required fields of every other set the incoming rows may refer to.
    func sources(_ base: PortfolioStore, _ wanted: Set<EntityKind>) throws(WorkspaceError) -> [CSVSource] {
        var out: [CSVSource] = []
        for k in EntityKind.allCases where wanted.contains(k) {
            let t = base.table(k)
            if let i = input.parts.firstIndex(where: { $0.kind == k }) {
                let p = input.parts[i]
                var bytes = try PartialColumns.complete(p, base)
                if WorkspaceModel.hasID(k), t.count > 0, !p.header.isEmpty, let idCol = t.column("id") {
                    let fields = p.header + PartialColumns.missing(p, t)
                    let incomingIDs = Set(p.ids)
                    let rows = (0..<t.count).compactMap { r -> Int32? in
                        guard let id = idCol.string(r), !incomingIDs.contains(id) else { return nil }
                        return Int32(r)
                    }
                    if !rows.isEmpty {
                        if let last = bytes.last, last != 10 && last != 13 { bytes.append(10) }
                        var w = CSVWriter(capacity: rows.count * 32)
                        TableCSV.write(base, k, fields: fields, rows: rows, header: false, into: &w)
                        bytes += w.bytes
                    }
                }
                out.append(CSVSource(kind: k, name: Importer.partTag + String(i), bytes: bytes, displayName: InputFiles.baseName(p.file)))
            } else if t.count > 0 {
                let fields = t.schema.fields.filter { $0.required || $0.type == .id }.map(\.name)
                var w = CSVWriter(capacity: t.count * 32)
                TableCSV.write(base, k, fields: fields, into: &w)
                out.append(CSVSource(kind: k, name: Importer.baseTag + k.setName, bytes: w.bytes))
            }
        }
        return out
    }

    /// Every problem recorded (or `first`, the one thrown), placed in its input file, one per place,
    /// in file order, then line and column.
    func allProblems(_ first: LoadError) -> WorkspaceError {
        var list = problems.errors.isEmpty ? [first] : problems.errors
        if !list.contains(first) { list.append(first) }
        let mappedList = list.map { e -> LoadError in mapped(e).location ?? e }
        var seen = Set<String>()
        var unique: [LoadError] = []
        for e in mappedList where e.line == 0 || e.message.hasPrefix("missing required column") || seen.insert("\(e.file)\u{1}\(e.line)\u{1}\(e.column)").inserted { unique.append(e) }
        let order = input.parts.map(\.file)
        let sorted = unique.enumerated().sorted { a, b in
            let fa = order.firstIndex(of: a.element.file) ?? order.count, fb = order.firstIndex(of: b.element.file) ?? order.count
            if fa != fb { return fa < fb }
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            if a.element.column != b.element.column { return a.element.column < b.element.column }
            return a.offset < b.offset
        }.map(\.element)
        if sorted.count == 1, let e = sorted.first { return mapped(e) }
        return WorkspaceError(problems: sorted)
    }

    /// A loader error, placed in the input file it comes from.
    func mapped(_ e: LoadError) -> WorkspaceError {
        if e.file.hasPrefix(Importer.partTag), let i = Int(e.file.dropFirst(Importer.partTag.count)), i < input.parts.count {
            let p = input.parts[i]
            if e.line == 0 { return WorkspaceError(data: LoadError(file: p.file, line: 0, column: 0, message: e.message)) }
            if e.line > p.lastLine {
                return WorkspaceError(data: LoadError(file: p.file, line: 0, column: 0,
                                                      message: e.message + " (in a \(p.kind.singular) the workspace already holds)"))
            }
            let o = p.original(Position(line: e.line, column: e.column))
            return WorkspaceError(data: LoadError(file: p.file, line: o.line, column: o.column, message: e.message))
        }
        if e.file.hasPrefix(Importer.baseTag) {
            return WorkspaceError(.corrupt, "workspace '\(path)', \(e.file.dropFirst(Importer.baseTag.count)): \(e.message)")
        }
        return WorkspaceError(data: e)
    }

    /// Rows of a set without ids that share a natural key would silently overwrite each other.
    func checkNaturalKeys(_ store: PortfolioStore) throws {
        for p in input.parts where !WorkspaceModel.hasID(p.kind) && !LineSets.repeats(p.kind) && p.records > 0 {
            let names = WorkspaceSchema.naturalKey(p.kind)
            guard let (r, first) = NaturalKeys.firstDuplicate(store.table(p.kind), names, rows: p.records) else { continue }
            let at = p.recordPosition(r)
            var w = CSVWriter()
            TableCSV.write(store, p.kind, fields: names, rows: [Int32(r)], header: false, into: &w)
            let shown = String(decoding: w.bytes.dropLast(), as: UTF8.self)
            throw WorkspaceError(data: LoadError(file: p.file, line: at.line, column: at.column,
                message: "duplicate \(p.kind.singular): \(names.joined(separator: ", ")) = \(shown) is also on line \(p.recordPosition(first).line)"))
        }
    }

    /// The incoming rows of each set, and the status reports `projects.csv` carried.
    func batches(_ store: PortfolioStore) -> [RowBatch] {
        var out: [RowBatch] = []
        for p in input.parts {
            let fields = store.table(p.kind).schema.fields
            out.append(RowBatch(kind: p.kind, rows: 0..<min(p.records, store.table(p.kind).count),
                                present: fields.map { p.header.contains($0.name) }))
        }
        if let projects = input.parts.first(where: { $0.kind == .project }), projects.header.contains("status_date") {
            let start = input.parts.first(where: { $0.kind == .statusReport })?.records ?? 0
            let count = store.table(.statusReport).count
            if start < count {
                let fields = store.table(.statusReport).schema.fields
                out.append(RowBatch(kind: .statusReport, rows: start..<count, present: fields.map { f in
                    f.name == "project" || f.name == "as_of" || (["pv", "ev", "ac"].contains(f.name) && projects.header.contains(f.name))
                }))
            }
        }
        return out
    }
}
