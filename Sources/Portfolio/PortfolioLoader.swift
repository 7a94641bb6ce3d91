// Loads a portfolio from a directory of CSV files (one per entity set, plus an optional settings.csv).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase

/// A load failure with the file, line and column it comes from (line and column are 0 for a whole file).
public struct LoadError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `path:line:col: error: message`, or `path: error: message` for an error about a whole file.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// Reads `<set>.csv` for every entity set (a missing file is an empty set) and `settings.csv`.
public enum PortfolioLoader {
    /// The keys `settings.csv` accepts.
    public static let settingKeys = ["currency", "fiscal_year_start", "status_date", "green_threshold", "amber_threshold", "critical_float"]

    /// Loads every CSV file of `directory` into a store. All-or-nothing: the first bad cell aborts.
    public static func load(directory: String, encoding: InputEncoding? = nil) throws(LoadError) -> PortfolioStore {
        guard isDirectory(directory) else {
            throw LoadError(file: directory, line: 0, column: 0, message: "no such directory")
        }
        let dir = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let settings = try readSettings(dir + "/settings.csv", encoding: encoding)
        return try build(settings: settings) { k throws(LoadError) in
            let path = dir + "/" + k.setName + ".csv"
            guard fileExists(path) else { return nil }
            do throws(CSVError) { return (path, try CSVReader(path: path, encoding: encoding), nil) } catch {
                throw LoadError(file: path, line: error.line, column: error.column, message: error.message)
            }
        }
    }

    /// Loads the sets `open` gives (a file name for messages and a reader; nil for an empty set), in
    /// `EntityKind` order so that referenced sets come first, and applies `settings`.
    static func build(settings: Settings, problems: LoadProblems? = nil,
                      open: (EntityKind) throws(LoadError) -> (name: String, reader: CSVReader, display: String?)?) throws(LoadError) -> PortfolioStore {
        let tables = EntityKind.allCases.map { EntityTable(kind: $0) }
        var ids = [ByteKeyIndex](repeating: ByteKeyIndex(), count: EntityKind.allCases.count)
        var reports: [ProjectReport] = []
        var portfolioFile = "portfolios.csv"
        for k in EntityKind.allCases {
            guard let (path, reader, display) = try open(k) else { continue }
            if k == .portfolio { portfolioFile = path }
            var loader = TableLoader(kind: k, path: path, reader: reader, table: tables[k.rawValue], ids: ids,
                                     problems: problems, fileName: display)
            ids[k.rawValue] = try loader.load(into: tables[k.rawValue])
            if k == .project { reports = loader.reports }
        }
        if let first = problems?.errors.first { throw first }
        appendReports(reports, to: tables[EntityKind.statusReport.rawValue])
        var currency = settings.currency ?? "USD"
        if settings.currency == nil, let c = tables[EntityKind.portfolio.rawValue].column("currency"),
           !c.codes.isEmpty, let s = c.string(0) {
            currency = s
        }
        // One currency per portfolio store: money of another currency would be summed without a rate.
        if let c = tables[EntityKind.portfolio.rawValue].column("currency") {
            for r in 0..<tables[EntityKind.portfolio.rawValue].count {
                if let s = c.string(r), s != currency {
                    throw LoadError(file: portfolioFile, line: r + 2, column: 1,
                                    message: "portfolio uses currency '\(s)' but the portfolio's money is in \(currency) (one currency per workspace; convert the amounts first)")
                }
            }
        }
        let store = PortfolioStore(tables: tables, currency: currency)
        if let m = settings.fiscalYearStart { store.fiscalYearStartMonth = m }
        if let g = settings.green { store.thresholds.green = g }
        if let a = settings.amber { store.thresholds.amber = a }
        if let c = settings.criticalFloat { store.criticalFloat = c }
        store.statusDate = settings.statusDate
        return store
    }

    /// Adds the status reports carried by `projects.csv` after those of `status_reports.csv`.
    static func appendReports(_ reports: [ProjectReport], to table: EntityTable) {
        if reports.isEmpty { return }
        var builders = table.columns.map { c -> ColumnBuilder in
            var b = ColumnBuilder(c, .statusReport)
            b.ints = c.ints; b.codes = c.codes; b.smalls = c.smalls; b.reals = c.reals; b.lists = c.lists; b.nulls = c.nulls
            return b
        }
        var row = table.count
        for r in reports {
            for i in builders.indices {
                switch builders[i].field.name {
                case "project": builders[i].codes.append(r.project)
                case "as_of": builders[i].codes.append(r.asOf)
                case "pv", "ev", "ac":
                    let name = builders[i].field.name
                    if let v = name == "pv" ? r.pv : name == "ev" ? r.ev : r.ac { builders[i].ints.append(v) }
                    else { builders[i].appendNone(row) }
                default: builders[i].appendNone(row)
                }
            }
            row += 1
        }
        for (i, b) in builders.enumerated() { b.commit(to: table.columns[i]) }
        table.count = row
    }

    /// The values of `settings.csv`; nil where a setting is not given.
    public struct Settings: Sendable, Equatable {
        public var currency: String?
        public var fiscalYearStart: Int?
        public var statusDate: Day?
        public var green: Double?
        public var amber: Double?
        /// Working days of total float at or under which a task is critical.
        public var criticalFloat: Int?
        public init(currency: String? = nil, fiscalYearStart: Int? = nil, statusDate: Day? = nil,
                    green: Double? = nil, amber: Double? = nil, criticalFloat: Int? = nil) {
            self.currency = currency; self.fiscalYearStart = fiscalYearStart; self.statusDate = statusDate
            self.green = green; self.amber = amber; self.criticalFloat = criticalFloat
        }
    }

    /// Reads `settings.csv` (`key,value`); a missing file gives the defaults.
    public static func readSettings(_ path: String, encoding: InputEncoding? = nil) throws(LoadError) -> Settings {
        var s = Settings()
        guard fileExists(path) else { return s }
        let reader: CSVReader
        do { reader = try CSVReader(path: path, encoding: encoding) } catch { throw LoadError(file: path, line: error.line, column: error.column, message: error.message) }
        func fail(_ j: Int, _ m: String) -> LoadError {
            LoadError(file: path, line: reader.line(j), column: reader.column(j), message: m)
        }
        var polled = 0
        func next() throws(LoadError) -> Bool {
            if LoadCancellation.poll(&polled) { throw LoadError(file: path, line: 0, column: 0, message: LoadCancellation.message) }
            do { return try reader.nextRecord() } catch { throw LoadError(file: path, line: error.line, column: error.column, message: error.message) }
        }
        guard try next() else { return s }
        for j in 0..<reader.cells.count {
            let h = String(decoding: CellParser.trimmed(reader.bytes(j)), as: UTF8.self)
            if j > 1 || h != ["key", "value"][j] {
                throw fail(j, "unknown column '\(h)' in settings.csv (expected key,value)" + Suggest.hint(h, ["key", "value"]))
            }
        }
        if reader.cells.count < 2 {
            throw LoadError(file: path, line: reader.recordLine, column: 1, message: "missing required column 'value'")
        }
        var seen: Set<String> = []
        var amberCell: (line: Int, column: Int)?
        while try next() {
            if reader.cells.count != 2 {
                throw fail(0, "a setting has two cells, key and value; this row has \(reader.cells.count)")
            }
            let key = String(decoding: CellParser.trimmed(reader.bytes(0)), as: UTF8.self)
            let v = CellParser.trimmed(reader.bytes(1))
            let text = String(decoding: v, as: UTF8.self)
            guard settingKeys.contains(key) else { throw fail(0, "unknown setting '\(key)'" + Suggest.hint(key, settingKeys)) }
            guard seen.insert(key).inserted else { throw fail(0, "setting '\(key)' appears twice") }
            if v.isEmpty { continue }
            switch key {
            case "currency":
                guard v.count == 3, v.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
                    throw fail(1, "invalid currency '\(text)' (expected an ISO 4217 code such as USD or EUR)")
                }
                s.currency = text
            case "fiscal_year_start":
                guard case .value(let m) = CellParser.integer(v), (1...12).contains(m) else {
                    throw fail(1, "invalid fiscal_year_start '\(text)' (expected a month number from 1 to 12)")
                }
                s.fiscalYearStart = Int(m)
            case "status_date":
                guard let d = CellParser.date(v) else { throw fail(1, "invalid date '\(text)' in status_date (expected YYYY-MM-DD)") }
                s.statusDate = Day(raw: d)
            case "critical_float":
                guard case .value(let c) = CellParser.integer(v), (0...10_000).contains(c) else {
                    throw fail(1, "invalid critical_float '\(text)' (expected whole working days from 0 to 10000)")
                }
                s.criticalFloat = Int(c)
            default:
                guard case .value(let u) = CellParser.percent(v), u > 0 else {
                    throw fail(1, "invalid \(key) '\(text)' (expected a positive index such as 0.95 or 95%)")
                }
                let x = Double(u) / Double(Fixed.scale)
                if key == "green_threshold" { s.green = x } else { s.amber = x; amberCell = (reader.line(1), reader.column(1)) }
            }
        }
        if let a = s.amber, a > (s.green ?? StatusThresholds().green) {
            throw LoadError(file: path, line: amberCell?.line ?? 0, column: amberCell?.column ?? 0,
                            message: "amber_threshold (\(a)) is above green_threshold (\(s.green ?? StatusThresholds().green))")
        }
        return s
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func fileExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
    }
}
