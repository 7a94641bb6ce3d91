// `pmo export --all --to DIR`: the whole workspace as files that `pmo import DIR` reads back into an
// empty workspace with the same answers: every entity set (`<set>.csv`, a header alone for an
// empty set), the settings (`settings.csv`, every key the workspace holds) and the stored waivers
// (`waivers.csv`). The journal and the findings history are not part of it (the new workspace's
// journal begins with the import).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB
import PMOBase
import Portfolio

/// What `export --all` wrote.
public struct ExportAllSummary: Sendable, Equatable {
    public var rows: [EntityKind: Int] = [:]
    public var waivers = 0
    public var files = 0

    /// `37 projects, 152 milestones, ..., settings, 2 waivers`.
    public var description: String {
        var parts = EntityKind.allCases.compactMap { k -> String? in
            guard let n = rows[k], n > 0 else { return nil }
            return "\(n) \(k.setName)"
        }
        parts.append("settings")
        if waivers > 0 { parts.append("\(waivers) waiver" + (waivers == 1 ? "" : "s")) }
        return parts.joined(separator: ", ")
    }
}

public enum WholeExport {
    /// The file names an export of everything writes in its directory.
    public static func fileNames() -> [String] {
        EntityKind.allCases.map { $0.setName + ".csv" } + ["settings.csv", "waivers.csv"]
    }

    /// A folder of CSV files (`--data`): its sets and its `settings.csv`; no waivers.
    public static func write(_ store: PortfolioStore, directory: String, to dir: String) throws(WorkspaceError) -> ExportAllSummary {
        let settings: PortfolioLoader.Settings
        do { settings = try PortfolioLoader.readSettings(InputFiles.join(directory, "settings.csv")) } catch { throw WorkspaceError(data: error) }
        return try write(store, settings: settings, waivers: [], to: dir)
    }

    /// Writes every set and the settings of `store`, and `waivers`, into `dir` (created when missing).
    public static func write(_ store: PortfolioStore, settings: PortfolioLoader.Settings, waivers: [StoredWaiver],
                             to dir: String) throws(WorkspaceError) -> ExportAllSummary {
        if InputFiles.exists(dir) {
            guard InputFiles.isDirectory(dir) else { throw WorkspaceError(.usage, "'\(dir)' is not a directory: export --all writes a directory of files") }
        } else if mkdir(dir, 0o755) != 0 {
            throw WorkspaceError(.cannotWrite, "cannot create directory '\(dir)': \(InputFiles.errnoText())")
        }
        var summary = ExportAllSummary()
        for k in EntityKind.allCases {
            try AtomicWrite.replace(InputFiles.join(dir, k.setName + ".csv"), with: EntityExport.bytes(store, k, .csv))
            summary.rows[k] = store.table(k).count
            summary.files += 1
        }
        var w = CSVWriter()
        w.text("key"); w.text("value"); w.endRow()
        func pair(_ k: String, _ v: String?) { w.text(k); if let v { w.text(v) } else { w.none() }; w.endRow() }
        pair("currency", settings.currency ?? store.currency)
        pair("fiscal_year_start", String(settings.fiscalYearStart ?? store.fiscalYearStartMonth))
        pair("status_date", settings.statusDate?.description)
        pair("green_threshold", settings.green.map { String($0) })
        pair("amber_threshold", settings.amber.map { String($0) })
        pair("critical_float", settings.criticalFloat.map { String($0) })
        try AtomicWrite.replace(InputFiles.join(dir, "settings.csv"), with: w.bytes)
        var v = CSVWriter()
        for h in WaiverFile.header { v.text(h) }
        v.endRow()
        for x in waivers {
            for cell in [x.rule, x.entitySet, x.entity, x.until, x.approver, x.reason] { v.text(cell) }
            v.endRow()
        }
        try AtomicWrite.replace(InputFiles.join(dir, "waivers.csv"), with: v.bytes)
        summary.waivers = waivers.count
        summary.files += 2
        return summary
    }
}

extension Workspace {
    /// Writes the whole workspace into `dir` (WholeExport).
    public func exportAll(to dir: String) throws(WorkspaceError) -> ExportAllSummary {
        let store = try loadStore(sets: nil)
        let path = self.path
        let settings = try read { db in try SettingsCodec.read(db, path: path) }
        return try WholeExport.write(store, settings: settings, waivers: try storedWaivers(), to: dir)
    }
}

/// `waivers.csv`: the stored waivers, imported by `pmo import DIR` (or the file itself).
enum WaiverFile {
    static let header = ["rule", "entity_set", "entity", "until", "approver", "reason"]

    static func read(_ path: String, encoding: InputEncoding?) throws(WorkspaceError) -> [StoredWaiver] {
        let bytes = try InputFiles.text(path, encoding: encoding)
        let reader = CSVReader(bytes: bytes)
        var problems: [LoadError] = []
        func next() throws(WorkspaceError) -> Bool {
            do { return try reader.nextRecord() } catch {
                throw WorkspaceError(data: LoadError(file: path, line: error.line, column: error.column, message: error.message))
            }
        }
        guard try next() else { return [] }
        let h = (0..<reader.cells.count).map { trim(reader.string($0)) }
        guard h == header else {
            throw WorkspaceError(data: LoadError(file: path, line: reader.recordLine, column: 1,
                                                 message: "the waivers' header must be \(header.joined(separator: ",")) (found \(h.joined(separator: ",")))"))
        }
        var out: [StoredWaiver] = []
        var seen: [String: Int] = [:]
        let sets = EntityKind.allCases.map(\.setName)
        while try next() {
            guard reader.cells.count == header.count else {
                problems.append(LoadError(file: path, line: reader.recordLine, column: 1,
                                          message: "a waiver has \(header.count) cells; this row has \(reader.cells.count)"))
                continue
            }
            let c = (0..<header.count).map { trim(reader.string($0)) }
            if !sets.contains(c[1]) {
                problems.append(LoadError(file: path, line: reader.line(1), column: reader.column(1),
                                          message: "unknown entity set '\(c[1])'" + NameHint.hint(c[1], sets)))
            }
            if Day(iso: Substring(c[3])) == nil {
                problems.append(LoadError(file: path, line: reader.line(3), column: reader.column(3),
                                          message: "invalid date '\(c[3])' in column until (expected YYYY-MM-DD)"))
            }
            for i in [0, 2, 4, 5] where c[i].isEmpty {
                problems.append(LoadError(file: path, line: reader.line(i), column: reader.column(i),
                                          message: "missing value for required column '\(header[i])'"))
            }
            let key = c[0] + "\u{1}" + c[1] + "\u{1}" + c[2]
            if let l = seen[key] {
                problems.append(LoadError(file: path, line: reader.recordLine, column: 1, message: "duplicate waiver: \(c[0]) for \(c[1]) \(c[2]) is also on line \(l)"))
            }
            seen[key] = reader.recordLine
            out.append(StoredWaiver(rule: c[0], entitySet: c[1], entity: c[2], until: c[3], approver: c[4], reason: c[5]))
        }
        if !problems.isEmpty { throw WorkspaceError(problems: problems) }
        return out
    }
}

extension WaiverFile {
    /// Stores the waivers (replacing those with the same rule, set and entity); each entity must
    /// exist in the imported workspace.
    static func store(_ waivers: [StoredWaiver], _ db: Database, file: String, store: PortfolioStore) throws {
        var problems: [LoadError] = []
        for (i, w) in waivers.enumerated() {
            guard let k = EntityKind(setName: w.entitySet) else { continue }
            if store.table(k).column("id") != nil, store.find(k, key: w.entity) == nil {
                problems.append(LoadError(file: file, line: i + 2, column: 1,
                                          message: "the waiver of \(w.rule) names \(k.singular) '\(w.entity)', which is not in the workspace"))
            }
        }
        if !problems.isEmpty { throw WorkspaceError(problems: problems) }
        for w in waivers {
            try db.execute(sql: """
                INSERT OR REPLACE INTO waivers (rule, entity_set, entity, until, approver, reason) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [w.rule, w.entitySet, w.entity, w.until, w.approver, w.reason])
        }
    }
}
