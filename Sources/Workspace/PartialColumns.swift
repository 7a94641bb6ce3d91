// Partial updates: a file with the id and some columns of a set with ids (`id,bac`) updates those
// columns and keeps the rest. The loader needs every required column, so the ones the file lacks
// are appended to each record from the workspace's row of that id (after the file's own cells, so
// every position an error names is still the file's). A new id without them is an error.
import PMOBase
import Portfolio

enum PartialColumns {
    /// The required fields (other than the id) a part's header lacks.
    static func missing(_ p: ImportPart, _ t: EntityTable) -> [String] {
        guard p.header.contains("id") else { return [] }
        return t.schema.fields.filter { $0.required && $0.type != .id && !p.header.contains($0.name) }.map(\.name)
    }

    /// The part's text with the missing required columns filled from the workspace (`base`).
    static func complete(_ p: ImportPart, _ base: PortfolioStore) throws(WorkspaceError) -> [UInt8] {
        guard WorkspaceModel.hasID(p.kind) else { return p.bytes }
        let t = base.table(p.kind)
        let names = missing(p, t)
        if names.isEmpty || p.records == 0 { return p.bytes }
        var rowOf: [String: Int] = [:]
        if let idCol = t.column("id") { for r in 0..<t.count { if let id = idCol.string(r) { rowOf[id] = r } } }
        // The values to append, record by record, as CSV cells.
        var extra: [[UInt8]] = []
        extra.reserveCapacity(p.records)
        var header = CSVWriter()
        for n in names { header.text(n) }
        header.endRow()
        extra.append(Array(header.bytes.dropLast()))
        for (i, id) in p.ids.enumerated() {
            guard let r = rowOf[id] else {
                let at = p.recordPosition(i)
                throw WorkspaceError(data: LoadError(file: p.file, line: at.line, column: at.column, message:
                    "\(p.kind.singular) '\(id)' is not in the workspace, and a new \(p.kind.singular) needs "
                    + names.joined(separator: " and ") + ": the file has no " + (names.count == 1 ? "such column" : "such columns")))
            }
            var w = CSVWriter()
            TableCSV.write(base, p.kind, fields: names, rows: [Int32(r)], header: false, into: &w)
            extra.append(Array(w.bytes.dropLast()))
        }
        // Append `,cells` at the end of the header and of each record (quotes may hold line breaks;
        // blank lines are not records).
        var out: [UInt8] = []
        out.reserveCapacity(p.bytes.count + extra.reduce(0) { $0 + $1.count + 1 })
        var k = 0, inQuotes = false, lineHasData = false
        var i = 0
        let b = p.bytes
        func endRecord() {
            if lineHasData && k < extra.count { out.append(44); out += extra[k]; k += 1 }
            lineHasData = false
        }
        while i < b.count {
            let c = b[i]
            if c == 34 { inQuotes.toggle() }
            if !inQuotes && (c == 10 || (c == 13 && i + 1 < b.count && b[i + 1] == 10) || c == 13) {
                endRecord()
                out.append(c)
                if c == 13 && i + 1 < b.count && b[i + 1] == 10 { out.append(10); i += 1 }
                i += 1
                continue
            }
            if c != 32 && c != 9 { lineHasData = true }
            out.append(c)
            i += 1
        }
        endRecord()
        return out
    }
}
