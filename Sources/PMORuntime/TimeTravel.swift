// `as of DATE` over the journal: every entity set as it stood at the end of DATE (History.swift in
// Portfolio rebuilds it), status reports dated on or before DATE as always. The host supplies the
// journal through `HistorySource`; a portfolio without one (a `--data` folder) only moves `today`.
import PMOBase
import PMOSyntax
import Portfolio

/// Where a session finds the journal of its portfolio (a workspace).
public protocol HistorySource: AnyObject {
    /// The latest effective date of any entry, or nil when the journal is empty: `as of` a day on or
    /// after it shows the portfolio as it is.
    func latestEffective() throws -> Day?
    /// The whole journal.
    func journal() throws -> JournalIndex
}

extension Session {
    /// Shows the portfolio as it stood at the end of `day` (the present one when nothing in the
    /// journal is effective after it). Returns whether the portfolio the session reads changed.
    @discardableResult
    public func travel(to day: Day) throws(RuntimeError) -> Bool {
        guard history != nil else { return false }
        let target = try pastStore(at: day)
        if target === store { return false }
        replaceView(target)
        return true
    }

    /// The portfolio as it stood at the end of `day`: the current one when nothing in the journal is
    /// effective after it (or there is no journal). The last few are kept.
    func pastStore(at day: Day) throws(RuntimeError) -> PortfolioStore {
        guard let history else { return currentStore }
        do {
            if latestEffectiveMemo == nil { latestEffectiveMemo = .some(try history.latestEffective()) }
            guard let latest = latestEffectiveMemo ?? nil, day < latest else { return currentStore }
            if let hit = pastStores.first(where: { $0.day == day }) { return hit.store }
            guard let index = try loadJournal() else { return currentStore }
            let target = try History.store(currentStore, journal: index, at: day)
            pastStores.append((day, target))
            if pastStores.count > 4 { pastStores.removeFirst() }
            return target
        } catch let e as RuntimeError {
            throw e
        } catch {
            throw RuntimeError("the portfolio as of \(day) could not be rebuilt from the journal: \(error)", at: .unknown)
        }
    }

    /// Whether the portfolio as it stood at the end of `day` differs from the one shown.
    func differs(at day: Day) throws(RuntimeError) -> Bool { try pastStore(at: day) !== store }

    /// The date of the first `as of` stage of a statement's own pipeline (shown, printed or exported).
    static func asOfStage(_ st: Stmt) -> (Expr, Span)? {
        let e: Expr
        switch st.kind {
        case .expr(let x), .print(let x), .export(let x, _): e = x
        default: return nil
        }
        guard case .pipeline(_, let stages) = e.kind else { return nil }
        for s in stages { if case .asOf(let d) = s.kind { return (d, s.span) } }
        return nil
    }

    /// A statement whose pipeline has an `as of` stage: the whole pipeline (its source included) runs
    /// on the portfolio as it stood at the end of the date, checked again against it; the stage moves
    /// `today` where it stands, as it always has. Exactly the statement `as of DATE` followed by the
    /// pipeline when the stage comes first.
    func executePast(_ date: Eval, _ normal: CompiledScript.Step, _ statement: Stmt, _ file: SourceFile, _ span: Span,
                     _ ctx: Ctx, _ emit: (Output) -> Void) throws -> Bool {
        let day: Day
        switch try date(ctx) {
        case .date(let d): day = d
        case .period(let p): day = p.end
        default: throw RuntimeError("'as of' needs a date", at: span)
        }
        let past: PortfolioStore
        do { past = try pastStore(at: day) } catch { throw RuntimeError(error.message, at: span) }
        if past === store { return try execute(normal, ctx, emit) }
        let c = Compiler(store: past, state: state)
        var steps: [CompiledScript.Step] = []
        var using: Set<String> = [file.name]
        compileStatement(statement, c, file, &steps, &using, travel: false)
        if let d = c.diagnostics.first(where: { $0.severity == .error }) {
            throw RuntimeError("as of \(day): " + d.message, at: d.span, help: d.help)
        }
        for n in c.usedGlobals {
            guard let g = state.globals[n], Session.holdsRows(g.type) else { continue }
            throw RuntimeError("'\(n)' holds rows of the portfolio as it is now, which this 'as of' cannot show as they stood on \(day)",
                               at: span, help: "put 'as of \(day)' on a line before the 'let' of '\(n)'")
        }
        guard steps.count == 1, let step = steps.first else { return false }
        let view = store
        replaceView(past)
        defer { replaceView(view) }
        let inner = Ctx(store: past, asOf: ctx.asOf, maxSteps: options.maxSteps)
        inner.maxRows = ctx.maxRows
        inner.globals = ctx.globals
        inner.journalSource = ctx.journalSource
        inner.steps = ctx.steps
        defer { ctx.steps = inner.steps }
        _ = try execute(step, inner, emit)
        return false
    }

    /// Whether values of a type name rows of one portfolio (they cannot be read in another).
    static func holdsRows(_ t: VType) -> Bool {
        switch t {
        case .rows, .entity, .any: return true
        case .list(let e): return holdsRows(e)
        case .table(let cols, let k): return k != nil || cols.contains { holdsRows($0.type) }
        default: return false
        }
    }
}

extension Session {
    /// The journal, read once (again after a change); nil without a history source.
    func loadJournal() throws -> JournalIndex? {
        if let j = journalIndex { return j }
        guard let history else { return nil }
        do { journalIndex = try history.journal() } catch {
            throw RuntimeError("the journal could not be read: \(error)", at: .unknown)
        }
        return journalIndex
    }
}
