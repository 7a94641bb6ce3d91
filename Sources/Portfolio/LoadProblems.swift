// Collecting every problem of a load instead of stopping at the first: an import reports the
// whole file set's problems in one run (up to a limit), so a user fixes them all at once.

/// The problems found so far. A loader that is given one records a bad cell, drops the cell (a
/// none value) and reads on; it stops only when the limit is reached. The caller throws them all.
public final class LoadProblems {
    public let limit: Int
    public private(set) var errors: [LoadError] = []
    private var places = Set<String>()

    public init(limit: Int) { self.limit = max(1, limit) }

    public var isEmpty: Bool { errors.isEmpty }
    public var isFull: Bool { errors.count >= limit }

    /// Records a problem (one per place: a cell refused twice, for two reasons, counts once).
    public func add(_ e: LoadError) {
        if isFull { return }
        let key = "\(e.file)\u{1}\(e.line)\u{1}\(e.column)"
        if e.line > 0, !places.insert(key).inserted { return }
        errors.append(e)
    }

    /// Records a problem and throws it when the limit is reached (the caller stops reading).
    public func record(_ e: LoadError) throws(LoadError) {
        add(e)
        if isFull { throw e }
    }
}
