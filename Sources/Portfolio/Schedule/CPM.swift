// The critical path method on one project's tasks: forward and backward passes over FS, SS, FF and SF
// links with lags in business or elapsed days, summary tasks rolled up from their children.
//
// Everything is computed on working-day ordinals (`WorkCalendar`): a task occupies [ES, EF) with
// EF = ES + D, D its working days; its start is the day of ES and its finish the day of EF - 1 (finish
// inclusive, as MS Project shows it). The formulas and their sources are in grammar.md, "Schedule".
// Summary tasks are two nodes of the graph: an entry node (the constraints of links into it, passed
// down to its children) and an exit node (the roll-up of its children, which links from it read).
// One topological order (Kahn) drives both passes, so the work is linear in tasks + links; what the
// order cannot reach is a cycle, reported whole.
import PMOBase

public enum LinkType: UInt8, Sendable, CaseIterable {
    case fs, ss, ff, sf
    public var name: String { ["FS", "SS", "FF", "SF"][Int(rawValue)] }
    /// The link starts from the predecessor's finish (FS, FF), else its start.
    var fromFinish: Bool { self == .fs || self == .ff }
    /// The link constrains the successor's finish (FF, SF), else its start.
    var toFinish: Bool { self == .ff || self == .sf }
}

public struct CPMTask: Sendable {
    public var id: String
    /// Index of the summary task above it, or -1.
    public var parent: Int32
    public var start: Day?
    public var finish: Day?
    /// Percent complete in `Fixed` units (10_000 = 100%), if known.
    public var percent: Int64?
    public init(id: String, parent: Int32 = -1, start: Day?, finish: Day?, percent: Int64? = nil) {
        self.id = id; self.parent = parent; self.start = start; self.finish = finish; self.percent = percent
    }
}

public struct CPMLink: Sendable {
    public var from: Int32
    public var to: Int32
    public var type: LinkType
    /// Lag in days: business days, or calendar days when `elapsed`. May be negative.
    public var lag: Int
    public var elapsed: Bool
    public init(from: Int32, to: Int32, type: LinkType, lag: Int = 0, elapsed: Bool = false) {
        self.from = from; self.to = to; self.type = type; self.lag = lag; self.elapsed = elapsed
    }
}

public struct CPMTaskResult: Sendable, Hashable {
    public var earlyStart: Day
    public var earlyFinish: Day
    public var lateStart: Day
    public var lateFinish: Day
    /// In working days; negative when a fixed (started) task is already behind its successors' needs.
    public var totalFloat: Int
    public var freeFloat: Int
    public var critical: Bool
}

/// A reason the schedule is doubtful or cannot be computed; `fatal` problems leave it uncomputed.
public struct CPMProblem: Sendable, Hashable, Error {
    public var message: String
    public var fatal: Bool
    /// For a cycle: the ids along it, the first repeated at the end.
    public var cycle: [String]
}

public struct CPMResult: Sendable {
    /// By task index; nil when the schedule could not be computed.
    public var tasks: [CPMTaskResult?]
    /// The latest early finish of the project's tasks.
    public var finish: Day?
    /// Indexes of the critical tasks without subtasks, by early start (then early finish, then index).
    public var criticalPath: [Int32]
    public var problems: [CPMProblem]
}

public struct CPMInput: Sendable {
    public var tasks: [CPMTask]
    public var links: [CPMLink]
    /// The project's start, else its tasks' earliest start.
    public var projectStart: Day?
    /// Not-started tasks start no earlier than this (the status date).
    public var asOf: Day
    /// A task is critical when its total float is at or under this many working days.
    public var threshold: Int
    public var calendar: WorkCalendar
    public init(tasks: [CPMTask], links: [CPMLink], projectStart: Day?, asOf: Day, threshold: Int = 0,
                calendar: WorkCalendar = WorkCalendar()) {
        self.tasks = tasks; self.links = links; self.projectStart = projectStart; self.asOf = asOf
        self.threshold = threshold; self.calendar = calendar
    }
}

public enum CPM {
    /// Largest lag accepted, in days (about 270 years): beyond it dates leave the calendar.
    public static let maxLag = 100_000

    public static func schedule(_ input: CPMInput) -> CPMResult {
        var engine = CPMEngine(input)
        return engine.run()
    }
}
