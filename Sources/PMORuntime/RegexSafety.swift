// Refuses regular expressions for `matches` whose matching time can grow exponentially with the
// text. Swift's `Regex` backtracks, and a match runs inside one step of the budget, so
// `"aaaaaaaaaaaaaaaaaaaaaab" matches "^(a+)+$"` would run for minutes and no step budget could stop
// it. The rule is the usual "star height" test (as in safe-regex): a group that repeats (`*`, `+`,
// `{n,}`, `{n,m}` with m > 1) may not itself contain an unbounded repetition. `(a+)+`, `(a*)*`,
// `(\w+\s?)*` and `((ab)+c)*` are refused; `a+`, `(ab)+`, `(a|b)*`, `\d{4}-\d{2}` and `(a+)?` are not.
// Overlapping alternatives under a repetition (`(a|a)*`) are not detected: `--timeout` bounds those.

enum RegexSafety {
    /// Why `pattern` is refused, or nil when it is accepted.
    static func problem(_ pattern: String) -> String? {
        let p = Array(pattern.unicodeScalars)
        // One entry per open group: whether it holds an unbounded repetition so far.
        var frames: [Bool] = [false]
        var i = 0
        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                i += 2
                if let q = quantifier(p, &i), q.unbounded { frames[frames.count - 1] = true }
            case "[":
                i = classEnd(p, from: i)
                if let q = quantifier(p, &i), q.unbounded { frames[frames.count - 1] = true }
            case "(":
                i += 1
                frames.append(false)
                if i < p.count && p[i] == "?" {
                    // A group's options: (?: (?= (?! (?<= (?<! (?<name> (?i) (?i: ...
                    while i < p.count && !":>=!)".unicodeScalars.contains(p[i]) { i += 1 }
                    if i < p.count && p[i] != ")" { i += 1 }
                }
            case ")":
                i += 1
                let inner = frames.count > 1 ? frames.removeLast() : false
                let q = quantifier(p, &i)
                if let q, q.repeats, inner {
                    return "a repeated group holds a repetition of its own, so matching can take exponential time"
                }
                if inner || q?.unbounded == true { frames[frames.count - 1] = true }
            default:
                i += 1
                if let q = quantifier(p, &i), q.unbounded { frames[frames.count - 1] = true }
            }
        }
        return nil
    }

    struct Quantifier {
        /// No upper bound: `*`, `+`, `{n,}`.
        var unbounded: Bool
        /// More than one repetition possible.
        var repeats: Bool
    }

    /// Reads a quantifier at `i` (and a lazy `?` or possessive `+` after it), if there is one.
    static func quantifier(_ p: [Unicode.Scalar], _ i: inout Int) -> Quantifier? {
        guard i < p.count else { return nil }
        var q: Quantifier
        switch p[i] {
        case "*", "+": q = Quantifier(unbounded: true, repeats: true); i += 1
        case "?": q = Quantifier(unbounded: false, repeats: false); i += 1
        case "{":
            var j = i + 1
            var low = "", high = "", comma = false
            while j < p.count, p[j] != "}" {
                if p[j] == "," { if comma { return nil }; comma = true }
                else if p[j] >= "0" && p[j] <= "9" { if comma { high.unicodeScalars.append(p[j]) } else { low.unicodeScalars.append(p[j]) } }
                else { return nil }
                j += 1
            }
            guard j < p.count, !low.isEmpty || comma else { return nil } // `{` without a valid quantifier is a literal
            let upper = comma ? (high.isEmpty ? nil : Int(high)) : Int(low)
            q = Quantifier(unbounded: upper == nil, repeats: upper.map { $0 > 1 } ?? true)
            i = j + 1
        default: return nil
        }
        if i < p.count && (p[i] == "?" || p[i] == "+") { i += 1 }
        return q
    }

    /// The index after the `]` that closes the class opened at `from`.
    static func classEnd(_ p: [Unicode.Scalar], from: Int) -> Int {
        var i = from + 1
        if i < p.count && p[i] == "^" { i += 1 }
        if i < p.count && p[i] == "]" { i += 1 }
        while i < p.count && p[i] != "]" {
            if p[i] == "\\" { i += 1 } else if p[i] == "[" { i = classEnd(p, from: i) - 1 }
            i += 1
        }
        return min(i + 1, p.count)
    }
}
