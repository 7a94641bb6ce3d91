// The portfolio model's schema: entity sets, their stored fields, relationships and computed fields.

/// The entity sets of the model, in load order (referenced sets first).
public enum EntityKind: Int, CaseIterable, Sendable, Hashable {
    case person, portfolio, program, project, milestone, task, dependency, resource, allocation,
         timesheet, risk, issue, statusReport, gate, change, holiday

    /// The set's name in the language and its CSV file name: `projects`, `status_reports`.
    public var setName: String {
        switch self {
        case .person: return "people"
        case .portfolio: return "portfolios"
        case .program: return "programs"
        case .project: return "projects"
        case .milestone: return "milestones"
        case .task: return "tasks"
        case .dependency: return "dependencies"
        case .resource: return "resources"
        case .allocation: return "allocations"
        case .timesheet: return "timesheets"
        case .risk: return "risks"
        case .issue: return "issues"
        case .statusReport: return "status_reports"
        case .gate: return "gates"
        case .change: return "changes"
        case .holiday: return "holidays"
        }
    }

    /// One entity's name: `project "PRJ-0042"`, `def project.burn = ...`.
    public var singular: String {
        switch self {
        case .person: return "person"
        case .statusReport: return "status_report"
        case .dependency: return "dependency"
        default: return String(setName.dropLast())
        }
    }

    public init?(setName: String) {
        guard let k = EntityKind.allCases.first(where: { $0.setName == setName }) else { return nil }
        self = k
    }

    public init?(singular: String) {
        guard let k = EntityKind.allCases.first(where: { $0.singular == singular }) else { return nil }
        self = k
    }
}

/// An enumerated type: its values in order (comparisons such as `severity >= high` use this order).
public struct EnumType: Hashable, Sendable {
    public let name: String
    public let cases: [String]
    public init(_ name: String, _ cases: [String]) { self.name = name; self.cases = cases }

    public func code(of value: String) -> UInt8? { cases.firstIndex(of: value).map { UInt8($0) } }

    public static let rag = EnumType("rag", ["green", "amber", "red"])
    public static let programState = EnumType("program_state", ["proposed", "active", "on_hold", "closed"])
    public static let projectState = EnumType("project_state", ["idea", "proposed", "approved", "active", "on_hold", "closed", "cancelled"])
    public static let phase = EnumType("phase", ["initiation", "planning", "execution", "closing", "closed"])
    public static let businessCase = EnumType("business_case", ["draft", "submitted", "approved", "rejected"])
    public static let acceptance = EnumType("acceptance", ["pending", "accepted", "rejected"])
    public static let dependencyType = EnumType("dependency_type", ["FS", "SS", "FF", "SF"])
    /// The unit of a dependency's lag: elapsed (calendar) days or business days.
    public static let lagUnit = EnumType("lag_unit", ["d", "bd"])
    public static let allocationState = EnumType("allocation_state", ["requested", "approved"])
    public static let riskState = EnumType("risk_state", ["open", "mitigating", "closed"])
    public static let severity = EnumType("severity", ["low", "medium", "high", "critical"])
    public static let issueState = EnumType("issue_state", ["open", "in_progress", "resolved", "closed"])
    public static let gateDecision = EnumType("gate_decision", ["pending", "approved", "conditional", "rejected"])
    public static let changeState = EnumType("change_state", ["draft", "submitted", "approved", "rejected"])
}

/// The type of a stored field.
public indirect enum FieldType: Hashable, Sendable {
    /// The entity's unique identifier (a string).
    case id
    case string
    case int
    case real
    case bool
    /// Money in the portfolio's currency, exact (`Fixed`).
    case money
    /// A fraction, exact (`Fixed`): 0.85 prints as 85%.
    case percent
    /// Hours of work, exact (`Fixed`).
    case hours
    case date
    /// A duration stored as whole days.
    case duration
    case enumeration(EnumType)
    /// A to-one relationship: the row of an entity in another (or the same) set.
    case reference(EntityKind)
    /// A list of strings (`tags`), separated by `;` in CSV.
    case stringList
}

/// A stored field: its name, type and a one-line meaning for `schema` and completion.
public struct FieldDef: Hashable, Sendable {
    public let name: String
    public let type: FieldType
    public let doc: String
    /// A required field must have a value in every row (ids, the owning project of a milestone...).
    public let required: Bool

    public init(_ name: String, _ type: FieldType, _ doc: String, required: Bool = false) {
        self.name = name; self.type = type; self.doc = doc; self.required = required
    }
}

/// A to-many relationship: the rows of `target` whose reference field `via` points at this entity.
public struct ToManyDef: Hashable, Sendable {
    public let name: String
    public let target: EntityKind
    public let via: String
    public let doc: String
}

/// The type of a computed field's value.
public enum ComputedType: Hashable, Sendable {
    case money, real, percent, hours, int, bool, date, duration, enumeration(EnumType), entity(EntityKind)
    /// A set of entities in order (`critical_path`).
    case rows(EntityKind)
}

/// A field computed at the as-of date (earned value, capacity, risk exposure...).
/// `takesPeriod` fields are called with a period: `utilization(2026-12)`.
public struct ComputedFieldDef: Hashable, Sendable {
    public let name: String
    public let type: ComputedType
    public let takesPeriod: Bool
    public let doc: String
    public init(_ name: String, _ type: ComputedType, period: Bool = false, _ doc: String) {
        self.name = name; self.type = type; self.takesPeriod = period; self.doc = doc
    }
}

/// Everything the language needs to know about one entity set.
public struct EntitySchema: Sendable {
    public let kind: EntityKind
    public let fields: [FieldDef]
    public let toMany: [ToManyDef]
    public let computed: [ComputedFieldDef]

    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }
    public func toManyDef(_ name: String) -> ToManyDef? { toMany.first { $0.name == name } }
    public func computedDef(_ name: String) -> ComputedFieldDef? { computed.first { $0.name == name } }

    /// All names usable after a `.` or inside a `where` on this set, for did-you-mean and completion.
    public var allNames: [String] { fields.map(\.name) + toMany.map(\.name) + computed.map(\.name) }
}
