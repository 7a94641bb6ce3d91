// Finding rows of one import that share a natural key (a timesheet's resource, project and week):
// each row's key is hashed into 64 bits, the (hash, row) pairs are sorted, and only rows with equal
// hashes are compared value by value. Millions of rows take a sort of integers, not a dictionary
// insert per row.
import Portfolio

enum NaturalKeys {
    /// The first row (in row order) among `rows` whose key an earlier row already has, with that
    /// earlier row; nil when every key is distinct.
    static func firstDuplicate(_ t: EntityTable, _ names: [String], rows: Int) -> (row: Int, first: Int)? {
        let cols = names.compactMap { t.column($0) }
        let n = min(rows, t.count)
        if n < 2 || cols.isEmpty { return nil }
        let readers = cols.map(reader)
        var pairs = [(hash: UInt64, row: Int32)]()
        pairs.reserveCapacity(n)
        for r in 0..<n {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15
            for read in readers { h = mix(h ^ UInt64(bitPattern: read(r))) }
            pairs.append((h, Int32(r)))
        }
        pairs.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        var best: (row: Int, first: Int)?
        var i = 0
        while i < pairs.count {
            var j = i + 1
            while j < pairs.count && pairs[j].hash == pairs[i].hash { j += 1 }
            // Rows i..<j share a hash (in row order): the second row of each group of equal keys.
            if j - i > 1 {
                for a in (i + 1)..<j {
                    let r = Int(pairs[a].row)
                    if let b = (i..<a).first(where: { k in readers.allSatisfy { $0(Int(pairs[k].row)) == $0(r) } }) {
                        if best == nil || r < best?.row ?? Int.max { best = (r, Int(pairs[b].row)) }
                        break
                    }
                }
            }
            i = j
        }
        return best
    }

    /// A column's value in a row as an integer (none is `Int64.min`).
    static func reader(_ c: Column) -> (Int) -> Int64 {
        switch c.field.type {
        case .int, .money, .percent, .hours, .duration:
            let ints = c.ints, nulls = c.nulls
            return { nulls.isNone($0) ? .min : ints[$0] }
        case .date:
            let codes = c.codes, nulls = c.nulls
            return { nulls.isNone($0) ? .min : Int64(codes[$0]) }
        case .enumeration, .bool:
            let smalls = c.smalls
            return { smalls[$0] == Column.noneSmall ? .min : Int64(smalls[$0]) }
        default:
            let codes = c.codes
            return { codes[$0] < 0 ? .min : Int64(codes[$0]) }
        }
    }

    /// SplitMix64's finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
