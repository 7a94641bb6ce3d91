// Binary operators: logic, comparisons (with bare enum values), text tests, arithmetic, `??`, `between`, `in`.
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ span: Span) -> Compiled {
        switch op {
        case .and, .or: return logic(op, l, r)
        case .eq, .ne, .lt, .le, .gt, .ge: return comparison(op, l, r, span)
        case .contains, .startsWith, .endsWith, .matches: return textTest(op, l, r, span)
        case .coalesce:
            let a = compile(l), b = compile(r)
            if a.type != .any && b.type != .any && a.type != b.type && !(a.type.isNumeric && b.type.isNumeric) {
                error("'??' needs both sides of the same type but found \(a.type) and \(b.type)", span)
            }
            let ae = a.eval, be = b.eval
            return Compiled(a.type == .any ? b.type : a.type, { ctx in
                let v = try ae(ctx)
                return v.isNone ? try be(ctx) : v
            })
        case .add, .sub, .mul, .div:
            let a = compile(l), b = compile(r)
            var t: VType = .any
            switch TypeRules.arithmetic(op, a.type, b.type) {
            case .success(let rt): t = rt
            case .failure(let ue): error(ue.message, span, help: ue.hint)
            }
            let ae = a.eval, be = b.eval
            if let x = a.constant, let y = b.constant, let v = try? Arithmetic.apply(op, x, y, at: span) {
                return .const(v, t)
            }
            if op == .add && (t == .string || t == .any) {
                // Text joined with `+` is capped like every intermediate result (Limits.swift).
                return Compiled(t, { ctx in
                    let v = try Arithmetic.apply(op, try ae(ctx), try be(ctx), at: span)
                    if case .string(let s) = v { try ctx.checkText(s.utf8.count, at: span) }
                    return v
                })
            }
            return Compiled(t, { ctx in try Arithmetic.apply(op, try ae(ctx), try be(ctx), at: span) })
        }
    }

    func logic(_ op: BinaryOp, _ l: Expr, _ r: Expr) -> Compiled {
        let a = compile(l), b = compile(r)
        for (c, e) in [(a, l), (b, r)] where c.type != .bool && c.type != .any {
            error("'\(op.rawValue)' needs conditions on both sides but found \(c.type)", e.span)
        }
        let ae = a.eval, be = b.eval
        if op == .and {
            return Compiled(.bool, { ctx in
                let x = Logic.truth(try ae(ctx))
                if x == false { return .bool(false) }
                let y = Logic.truth(try be(ctx))
                if y == false { return .bool(false) }
                return (x == true && y == true) ? .bool(true) : .none
            })
        }
        return Compiled(.bool, { ctx in
            let x = Logic.truth(try ae(ctx))
            if x == true { return .bool(true) }
            let y = Logic.truth(try be(ctx))
            if y == true { return .bool(true) }
            return (x == false && y == false) ? .bool(false) : .none
        })
    }

    /// Compiles both sides of a comparison; a bare name on one side is read as a value of the
    /// other side's enumeration (`status = red`), a misspelt one is an error with a suggestion.
    func comparands(_ l: Expr, _ r: Expr) -> (Compiled, Compiled) {
        if case .name(let n) = r.kind, !isResolvable(n) {
            let a = compile(l)
            return (a, enumOperand(n, r.span, against: a.type))
        }
        if case .name(let n) = l.kind, !isResolvable(n) {
            let b = compile(r)
            return (enumOperand(n, l.span, against: b.type), b)
        }
        let a = compile(l)
        var b = compileAgainst(r, a.type)
        if case .name(let n) = l.kind, let value = valueOverName(n, l.span, against: b.type, resolved: a.type) { return (value, b) }
        if case .enumeration(let e) = a.type, let s = b.constant, case .string(let text) = s {
            b = enumConstant(text, e, r.span)
        }
        return (a, b)
    }

    /// A bare name or string read as a value of enumeration `e`.
    func enumConstant(_ name: String, _ e: EnumType, _ span: Span) -> Compiled {
        if let code = e.code(of: name) { return .const(.enumeration(e, code), .enumeration(e)) }
        if let lower = e.cases.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
            return .const(.enumeration(e, UInt8(lower)), .enumeration(e))
        }
        let hint = Suggest.closest(to: name, in: e.cases).map { "did you mean '\($0)'?" }
        error("'\(name)' is not a \(e.name) value (expected one of \(e.cases.joined(separator: ", ")))", span, help: hint)
        return .poisoned
    }

    func enumOperand(_ name: String, _ span: Span, against t: VType) -> Compiled {
        switch t {
        case .enumeration(let e): return enumConstant(name, e, span)
        case .list(.enumeration(let e)): return enumConstant(name, e, span)
        case .any: return compile(Expr(.name(name), span))
        default: return resolveName(name, span)
        }
    }

    func comparison(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ span: Span) -> Compiled {
        let (a, b) = comparands(l, r)
        if let ue = TypeRules.comparable(op, a.type, b.type) {
            error(ue.message, span, help: TypeRules.personByName(l, a.type, b.type) ?? TypeRules.personByName(r, b.type, a.type) ?? ue.hint)
        }
        let ae = a.eval, be = b.eval
        var compiled = comparisonRowByRow(op, ae, be)
        compiled.batch = storedComparison(op, a, b)
        return compiled
    }

    func comparisonRowByRow(_ op: BinaryOp, _ ae: @escaping Eval, _ be: @escaping Eval) -> Compiled {
        switch op {
        case .eq, .ne:
            let want = op == .eq
            return Compiled(.bool, { ctx in
                guard let e = Comparison.equal(try ae(ctx), try be(ctx)) else { return .none }
                return .bool(e == want)
            })
        default:
            let test: (Int) -> Bool
            switch op {
            case .lt: test = { $0 < 0 }
            case .le: test = { $0 <= 0 }
            case .gt: test = { $0 > 0 }
            default: test = { $0 >= 0 }
            }
            return Compiled(.bool, { ctx in
                guard let o = Comparison.order(try ae(ctx), try be(ctx)) else { return .none }
                return .bool(test(o))
            })
        }
    }

    func textTest(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ span: Span) -> Compiled {
        let a = compile(l), b = compile(r)
        for (c, e) in [(a, l), (b, r)] {
            switch c.type {
            case .string, .any, .enumeration, .list(.string): break
            default: error("'\(op.rawValue)' needs text but found \(c.type)", e.span)
            }
        }
        let ae = a.eval, be = b.eval
        if op == .matches {
            var fixed: Regex<AnyRegexOutput>?
            if let k = b.constant, case .string(let pattern) = k {
                if let why = RegexSafety.problem(pattern) {
                    self.error("cannot use the regular expression '\(pattern)': \(why)", r.span,
                               help: "write the repeated part once: '(a+)+' matches what 'a+' matches")
                }
                do { fixed = try Regex(pattern) } catch {
                    self.error("invalid regular expression: \(error)", r.span)
                }
            }
            let compiled = fixed
            return Compiled(.bool, { ctx in
                guard let s = Compiler.text(try ae(ctx)), let p = Compiler.text(try be(ctx)) else { return .none }
                let re: Regex<AnyRegexOutput>
                if let c = compiled { re = c } else {
                    if let why = RegexSafety.problem(p) { throw RuntimeError("cannot use the regular expression '\(p)': \(why)", at: r.span) }
                    do { re = try Regex(p) } catch { throw RuntimeError("invalid regular expression '\(p)'", at: r.span) }
                }
                return .bool((try? re.firstMatch(in: s)) != nil)
            })
        }
        return Compiled(.bool, { ctx in
            let x = try ae(ctx)
            guard let p = Compiler.text(try be(ctx))?.lowercased() else { return .none }
            if case .list(let items) = x, op == .contains {
                return .bool(items.contains { Compiler.text($0)?.lowercased() == p })
            }
            guard let s = Compiler.text(x)?.lowercased() else { return .none }
            switch op {
            case .contains: return .bool(s.contains(p))
            case .startsWith: return .bool(s.hasPrefix(p))
            default: return .bool(s.hasSuffix(p))
            }
        })
    }

    static func text(_ v: Value) -> String? {
        switch v {
        case .string(let s): return s
        case .enumeration(let e, let c): return Int(c) < e.cases.count ? e.cases[Int(c)] : nil
        default: return nil
        }
    }

    func between(_ x: Expr, _ lo: Expr, _ hi: Expr, _ neg: Bool, _ span: Span) -> Compiled {
        let (a, b) = comparands(x, lo)
        let c = compileAgainst(hi, a.type)
        for (o, e) in [(b, lo), (c, hi)] {
            if let ue = TypeRules.comparable(.le, a.type, o.type) { error(ue.message, e.span, help: ue.hint) }
        }
        let ae = a.eval, be = b.eval, ce = c.eval
        return Compiled(.bool, { ctx in
            let v = try ae(ctx)
            guard let o1 = Comparison.order(v, try be(ctx)), let o2 = Comparison.order(v, try ce(ctx)) else { return .none }
            return .bool((o1 >= 0 && o2 <= 0) != neg)
        })
    }

    /// Compiles `e`, reading a bare unknown name as a value of `t`'s enumeration.
    func compileAgainst(_ e: Expr, _ t: VType) -> Compiled {
        if case .name(let n) = e.kind, !isResolvable(n) { return enumOperand(n, e.span, against: t) }
        let c = compile(e)
        if case .name(let n) = e.kind, let value = valueOverName(n, e.span, against: t, resolved: c.type) { return value }
        return c
    }

    /// A name that is both a field and a value of the other side's enumeration (an issue's `resolved`
    /// date and the issue state `resolved`): compared with that enumeration it is the value, since
    /// the field could not be compared with it at all (`state = resolved`). nil otherwise.
    func valueOverName(_ n: String, _ span: Span, against t: VType, resolved: VType) -> Compiled? {
        let e: EnumType
        switch t {
        case .enumeration(let x), .list(.enumeration(let x)): e = x
        default: return nil
        }
        guard resolved != t, resolved != .enumeration(e), resolved != .any, e.code(of: n) != nil else { return nil }
        return enumConstant(n, e, span)
    }

    func isIn(_ x: Expr, _ l: Expr, _ neg: Bool, _ span: Span) -> Compiled {
        let a = compile(x)
        var b: Compiled
        if case .list(let items) = l.kind, case .enumeration = a.type {
            let cs = items.map { compileAgainst($0, a.type) }
            let evs = cs.map(\.eval)
            b = Compiled(.list(a.type), { ctx in .list(try evs.map { try $0(ctx) }) })
        } else {
            b = compile(l)
        }
        switch b.type {
        case .list(let t):
            if let ue = TypeRules.comparable(.eq, a.type, t) { error(ue.message, span, help: ue.hint) }
        case .rows(let k):
            if a.type != .entity(k) && a.type != .any { error("cannot look for \(a.type) in a set of \(k.setName)", span) }
        case .any: break
        default: error("'in' needs a list such as [a, b] but found \(b.type)", l.span)
        }
        let ae = a.eval, be = b.eval
        return Compiled(.bool, { ctx in
            let v = try ae(ctx)
            if v.isNone { return .none }
            switch try be(ctx) {
            case .list(let items):
                var unknown = false
                for it in items {
                    if let e = Comparison.equal(v, it) { if e { return .bool(!neg) } } else { unknown = true }
                }
                return unknown ? .none : .bool(neg)
            case .rows(_, let rows):
                guard case .entity(_, let r) = v else { return .bool(neg) }
                return .bool(rows.contains(r) != neg)
            case .none: return .none
            default: return .none
            }
        })
    }
}
