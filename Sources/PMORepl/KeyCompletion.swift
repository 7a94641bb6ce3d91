// Completion inside quotes after an entity word: `project "PRJ-00` → the ids and names of projects.
import PMORuntime
import Portfolio

/// Scans the id and name columns' string pools for a prefix. Nothing is built in advance, so the
/// first Tab on a large portfolio is as quick as the next (a byte comparison per distinct string).
enum KeyCompletion {
    /// Above this many matches no list is shown (the shared beginning is still inserted).
    static let listLimit = 500

    static func complete(_ typed: String, kind: EntityKind, quote: Character, store: PortfolioStore) -> CompletionResult {
        let table = store.table(kind)
        let pools = ["id", "name"].compactMap { table.column($0)?.pool.strings }
        let found = matching(typed, in: pools)
        if found.total <= listLimit {
            let candidates = found.kept.sorted().map { CompletionCandidate(Completer.escaped($0, quote: quote), suffix: String(quote)) }
            return CompletionResult(word: typed, candidates: candidates)
        }
        let common = found.common
        let replace = typed.unicodeScalars.count
        if common.utf8.count > typed.utf8.count || (common != typed && common.utf8.count == typed.utf8.count) {
            return CompletionResult(word: typed, candidates: [], replaceCount: replace, action: .insert(Completer.escaped(common, quote: quote)))
        }
        let message = "more than \(listLimit) \(kind.setName) have an id or name starting \"\(typed)\"; type more of it"
        return CompletionResult(word: typed, candidates: [], replaceCount: replace, action: .list([message]))
    }

    /// What a scan found: the first matches (up to one more than `listLimit`, distinct), how many
    /// matched in all, and the beginning all of them share.
    struct Found {
        var kept: [String] = []
        var total = 0
        var common = ""
    }

    /// The strings starting with `prefix`: in the same case when there are any, else ignoring ASCII case.
    static func matching(_ prefix: String, in pools: [[String]]) -> Found {
        let p = Array(prefix.utf8)
        let exact = scan(pools, p, foldCase: false)
        return exact.total > 0 ? exact : scan(pools, p.map(fold), foldCase: true)
    }

    static func scan(_ pools: [[String]], _ p: [UInt8], foldCase: Bool) -> Found {
        var found = Found()
        var seen = Set<String>()
        var common: [UInt8]?
        for pool in pools {
            for s in pool where hasPrefix(s, p, foldCase: foldCase) {
                if found.kept.count <= listLimit {
                    if !seen.insert(s).inserted { continue }
                    found.kept.append(s)
                }
                found.total += 1
                common = shared(common, s)
            }
        }
        found.common = common.map(wholeCharacters) ?? ""
        return found
    }

    /// The beginning of `prefix` that `s` shares (all of `s` when there is no prefix yet).
    static func shared(_ prefix: [UInt8]?, _ s: String) -> [UInt8] {
        guard var prefix else { return Array(s.utf8) }
        var n = 0
        for b in s.utf8 {
            if n >= prefix.count || prefix[n] != b { break }
            n += 1
        }
        if n < prefix.count { prefix.removeSubrange(n...) }
        return prefix
    }

    /// The text of UTF-8 bytes, without a character cut in the middle at the end.
    static func wholeCharacters(_ bytes: [UInt8]) -> String {
        var prefix = bytes
        if let lead = prefix.lastIndex(where: { $0 & 0xC0 != 0x80 }), prefix[lead] >= 0xC0 {
            let length = prefix[lead] >= 0xF0 ? 4 : prefix[lead] >= 0xE0 ? 3 : 2
            if prefix.count - lead < length { prefix.removeSubrange(lead...) }
        }
        return String(decoding: prefix, as: UTF8.self)
    }

    @inline(__always) static func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// Whether the UTF-8 of `s` starts with `p` (already folded when `foldCase`).
    static func hasPrefix(_ s: String, _ p: [UInt8], foldCase: Bool) -> Bool {
        if p.isEmpty { return true }
        let check = { (buf: UnsafeBufferPointer<UInt8>) -> Bool in
            if buf.count < p.count { return false }
            var i = 0
            while i < p.count {
                let b = foldCase ? fold(buf[i]) : buf[i]
                if b != p[i] { return false }
                i += 1
            }
            return true
        }
        if let r = s.utf8.withContiguousStorageIfAvailable(check) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(check)
    }
}
