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
        guard let history else { return false }
        let target: PortfolioStore
        do {
            if let latest = try history.latestEffective(), day < latest {
                if let cached = pastStores[day] {
                    target = cached
                } else {
                    guard let index = try loadJournal() else { return false }
                    target = try History.store(currentStore, journal: index, at: day)
                    pastStores = [day: target]
                }
            } else {
                target = currentStore
            }
        } catch let e as RuntimeError {
            throw e
        } catch {
            throw RuntimeError("the portfolio as of \(day) could not be rebuilt from the journal: \(error)", at: .unknown)
        }
        if target === store { return false }
        replaceView(target)
        return true
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
