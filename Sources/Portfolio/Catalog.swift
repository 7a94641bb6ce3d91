// The model's catalogue: the fields, relationships and computed fields of every entity set (model.md).

/// The schema of every entity set, indexed by `EntityKind.rawValue`.
public enum Catalog {
    public static let schemas: [EntitySchema] = EntityKind.allCases.map(schema)

    public static func schema(_ k: EntityKind) -> EntitySchema {
        switch k {
        case .person:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "person identifier", required: true),
                FieldDef("name", .string, "full name", required: true),
                FieldDef("email", .string, "e-mail address"),
                FieldDef("department", .string, "department"),
            ], toMany: [
                ToManyDef(name: "managed_projects", target: .project, via: "manager", doc: "projects this person manages"),
                ToManyDef(name: "sponsored_projects", target: .project, via: "sponsor", doc: "projects this person sponsors"),
                ToManyDef(name: "managed_programs", target: .program, via: "manager", doc: "programs this person manages"),
                ToManyDef(name: "sponsored_programs", target: .program, via: "sponsor", doc: "programs this person sponsors"),
                ToManyDef(name: "owned_portfolios", target: .portfolio, via: "owner", doc: "portfolios this person owns"),
                ToManyDef(name: "owned_risks", target: .risk, via: "owner", doc: "risks this person owns"),
                ToManyDef(name: "owned_issues", target: .issue, via: "owner", doc: "issues this person owns"),
            ], computed: [])
        case .portfolio:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "portfolio identifier", required: true),
                FieldDef("name", .string, "portfolio name", required: true),
                FieldDef("owner", .reference(.person), "accountable owner"),
                FieldDef("currency", .string, "ISO currency code of its money fields"),
                FieldDef("budget_cap", .money, "the most the portfolio may spend"),
            ], toMany: [
                ToManyDef(name: "programs", target: .program, via: "portfolio", doc: "programs in this portfolio"),
                ToManyDef(name: "projects", target: .project, via: "portfolio", doc: "projects in this portfolio"),
            ], computed: rollupComputed)
        case .program:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "program identifier", required: true),
                FieldDef("name", .string, "program name", required: true),
                FieldDef("portfolio", .reference(.portfolio), "the portfolio it belongs to"),
                FieldDef("manager", .reference(.person), "program manager"),
                FieldDef("sponsor", .reference(.person), "executive sponsor"),
                FieldDef("state", .enumeration(.programState), "proposed, active, on_hold or closed"),
            ], toMany: [
                ToManyDef(name: "projects", target: .project, via: "program", doc: "projects in this program"),
            ], computed: rollupComputed)
        case .project:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "project identifier", required: true),
                FieldDef("name", .string, "project name", required: true),
                FieldDef("code", .string, "short code or cost centre"),
                FieldDef("program", .reference(.program), "the program it belongs to"),
                FieldDef("portfolio", .reference(.portfolio), "the portfolio it belongs to"),
                FieldDef("manager", .reference(.person), "project manager"),
                FieldDef("sponsor", .reference(.person), "executive sponsor (may be none)"),
                FieldDef("state", .enumeration(.projectState), "lifecycle state: idea ... closed, cancelled"),
                FieldDef("phase", .enumeration(.phase), "initiation, planning, execution, closing or closed"),
                FieldDef("status", .enumeration(.rag), "reported RAG: the latest status report's overall, else this imported value"),
                FieldDef("priority", .int, "priority 0-100"),
                FieldDef("start", .date, "start date"),
                FieldDef("finish", .date, "planned finish date"),
                FieldDef("baseline_finish", .date, "finish date in the approved baseline"),
                FieldDef("bac", .money, "budget at completion"),
                FieldDef("contingency", .money, "contingency reserve"),
                FieldDef("business_case", .enumeration(.businessCase), "business case state (none when there is none)"),
                FieldDef("tags", .stringList, "tags"),
            ], toMany: [
                ToManyDef(name: "milestones", target: .milestone, via: "project", doc: "its milestones"),
                ToManyDef(name: "tasks", target: .task, via: "project", doc: "its tasks"),
                ToManyDef(name: "allocations", target: .allocation, via: "project", doc: "resource allocations to it"),
                ToManyDef(name: "timesheets", target: .timesheet, via: "project", doc: "timesheet rows booked to it"),
                ToManyDef(name: "risks", target: .risk, via: "project", doc: "its risks"),
                ToManyDef(name: "issues", target: .issue, via: "project", doc: "its issues"),
                ToManyDef(name: "status_reports", target: .statusReport, via: "project", doc: "its status reports"),
                ToManyDef(name: "gates", target: .gate, via: "project", doc: "its stage gates"),
                ToManyDef(name: "changes", target: .change, via: "project", doc: "its change requests"),
            ], computed: evmComputed + [
                ComputedFieldDef("actual_cost", .money, "Σ cost of its timesheet rows up to the as-of date"),
                ComputedFieldDef("latest_status", .entity(.statusReport), "the latest status report on or before the as-of date"),
                ComputedFieldDef("status_age", .duration, "time since the latest status report (a duration in days: compare with 14d)"),
                ComputedFieldDef("percent_complete", .percent, "percent complete from the latest status report"),
                ComputedFieldDef("computed_status", .enumeration(.rag), "the worse of the CPI and SPI bands (green ≥ 0.95, amber ≥ 0.90)"),
                ComputedFieldDef("open_risks", .int, "risks not closed"),
                ComputedFieldDef("open_issues", .int, "issues open or in progress"),
                ComputedFieldDef("overdue_milestones", .int, "milestones due before the as-of date and not completed"),
                ComputedFieldDef("critical_path", .rows(.task), "its critical tasks by early start (critical path method at the as-of date)"),
                ComputedFieldDef("cpm_finish", .date, "the latest early finish of its tasks (critical path method at the as-of date)"),
            ])
        case .milestone:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "milestone identifier", required: true),
                FieldDef("project", .reference(.project), "its project", required: true),
                FieldDef("name", .string, "milestone name", required: true),
                FieldDef("due", .date, "current due date"),
                FieldDef("baseline_due", .date, "due date in the baseline"),
                FieldDef("forecast", .date, "forecast date"),
                FieldDef("completed", .date, "date completed (none while open)"),
                FieldDef("key", .bool, "a key milestone"),
                FieldDef("acceptance", .enumeration(.acceptance), "pending, accepted or rejected"),
            ], toMany: [], computed: [
                ComputedFieldDef("overdue", .bool, "due before the as-of date and not completed"),
                ComputedFieldDef("slip", .duration, "(completed, else forecast, else due) - baseline_due, a duration in days (compare with 30d)"),
            ])
        case .task:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "task identifier", required: true),
                FieldDef("project", .reference(.project), "its project", required: true),
                FieldDef("parent", .reference(.task), "summary task above it"),
                FieldDef("name", .string, "task name", required: true),
                FieldDef("start", .date, "start date"),
                FieldDef("finish", .date, "finish date"),
                FieldDef("baseline_start", .date, "baseline start"),
                FieldDef("baseline_finish", .date, "baseline finish"),
                FieldDef("percent_complete", .percent, "percent complete"),
                FieldDef("work", .hours, "work in hours"),
                FieldDef("cost", .money, "cost"),
                FieldDef("msp_early_start", .date, "MS Project's own early start (MSPDI import), to compare with early_start"),
                FieldDef("msp_early_finish", .date, "MS Project's own early finish (MSPDI import)"),
                FieldDef("msp_late_start", .date, "MS Project's own late start (MSPDI import)"),
                FieldDef("msp_late_finish", .date, "MS Project's own late finish (MSPDI import)"),
                FieldDef("msp_total_slack", .int, "MS Project's total slack in working days (MSPDI import)"),
                FieldDef("msp_free_slack", .int, "MS Project's free slack in working days (MSPDI import)"),
                FieldDef("msp_critical", .bool, "MS Project's critical flag (MSPDI import)"),
            ], toMany: [
                ToManyDef(name: "subtasks", target: .task, via: "parent", doc: "tasks directly under it"),
            ], computed: scheduleComputed)
        case .dependency:
            return EntitySchema(kind: k, fields: [
                FieldDef("from", .string, "id of the predecessor (project or task)", required: true),
                FieldDef("to", .string, "id of the successor (project or task)", required: true),
                FieldDef("type", .enumeration(.dependencyType), "FS, SS, FF or SF"),
                FieldDef("lag", .duration, "lag in days (negative: a lead)"),
                FieldDef("lag_unit", .enumeration(.lagUnit), "d (elapsed days, the default) or bd (business days); a lag written 2bd sets it"),
            ], toMany: [], computed: [])
        case .resource:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "resource identifier", required: true),
                FieldDef("name", .string, "name", required: true),
                FieldDef("role", .string, "role or skill"),
                FieldDef("department", .string, "department"),
                FieldDef("capacity", .hours, "hours available per week"),
                FieldDef("rate", .money, "cost per hour"),
                FieldDef("active", .bool, "currently active"),
            ], toMany: [
                ToManyDef(name: "allocations", target: .allocation, via: "resource", doc: "its allocations"),
                ToManyDef(name: "timesheets", target: .timesheet, via: "resource", doc: "its timesheet rows"),
            ], computed: [
                ComputedFieldDef("capacity", .hours, period: true, "hours available in a period (weekly capacity prorated by working days)"),
                ComputedFieldDef("allocated", .hours, period: true, "hours of approved allocations in a period"),
                ComputedFieldDef("requested", .hours, period: true, "hours of requested allocations in a period"),
                ComputedFieldDef("utilization", .percent, period: true, "allocated / capacity in a period (none when capacity is 0)"),
                ComputedFieldDef("overallocated", .bool, period: true, "allocated > capacity in a period"),
            ])
        case .allocation:
            return EntitySchema(kind: k, fields: [
                FieldDef("resource", .reference(.resource), "the resource", required: true),
                FieldDef("project", .reference(.project), "the project", required: true),
                FieldDef("start", .date, "first day"),
                FieldDef("finish", .date, "last day"),
                FieldDef("percent", .percent, "share of the resource's capacity"),
                FieldDef("state", .enumeration(.allocationState), "requested or approved"),
            ], toMany: [], computed: [])
        case .timesheet:
            return EntitySchema(kind: k, fields: [
                FieldDef("resource", .reference(.resource), "who booked the time", required: true),
                FieldDef("project", .reference(.project), "the project booked to", required: true),
                FieldDef("week", .date, "the Monday of the week", required: true),
                FieldDef("hours", .hours, "hours booked"),
                FieldDef("cost", .money, "cost of those hours"),
                FieldDef("task", .string, "the task (or activity) the line is booked to, as the timesheet system names it"),
            ], toMany: [], computed: [])
        case .risk:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "risk identifier", required: true),
                FieldDef("project", .reference(.project), "its project", required: true),
                FieldDef("title", .string, "what could happen"),
                FieldDef("probability", .percent, "likelihood"),
                FieldDef("impact", .int, "impact 1-5"),
                FieldDef("cost_impact", .money, "cost if it happens"),
                FieldDef("state", .enumeration(.riskState), "open, mitigating or closed"),
                FieldDef("owner", .reference(.person), "risk owner"),
                FieldDef("review_due", .date, "next review date"),
            ], toMany: [], computed: [
                ComputedFieldDef("level", .int, "likelihood level 1-5 from the probability"),
                ComputedFieldDef("score", .int, "level × impact (1-25)"),
                ComputedFieldDef("exposure", .money, "probability × cost_impact"),
            ])
        case .issue:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "issue identifier", required: true),
                FieldDef("project", .reference(.project), "its project", required: true),
                FieldDef("title", .string, "what is wrong"),
                FieldDef("severity", .enumeration(.severity), "low, medium, high or critical"),
                FieldDef("state", .enumeration(.issueState), "open, in_progress, resolved or closed"),
                FieldDef("owner", .reference(.person), "who resolves it"),
                FieldDef("opened", .date, "date opened"),
                FieldDef("due", .date, "date due"),
                FieldDef("resolved", .date, "date resolved"),
            ], toMany: [], computed: [])
        case .statusReport:
            return EntitySchema(kind: k, fields: [
                FieldDef("project", .reference(.project), "the project reported on", required: true),
                FieldDef("as_of", .date, "the status date", required: true),
                FieldDef("overall", .enumeration(.rag), "overall RAG"),
                FieldDef("schedule", .enumeration(.rag), "schedule RAG"),
                FieldDef("cost", .enumeration(.rag), "cost RAG"),
                FieldDef("scope", .enumeration(.rag), "scope RAG"),
                FieldDef("pv", .money, "planned value"),
                FieldDef("ev", .money, "earned value"),
                FieldDef("ac", .money, "actual cost"),
                FieldDef("percent_complete", .percent, "percent complete"),
                FieldDef("summary", .string, "narrative"),
            ], toMany: [], computed: [])
        case .gate:
            return EntitySchema(kind: k, fields: [
                FieldDef("project", .reference(.project), "the project", required: true),
                FieldDef("gate", .string, "gate name (G0..G5 or a name)", required: true),
                FieldDef("planned", .date, "planned date"),
                FieldDef("held", .date, "date held"),
                FieldDef("decision", .enumeration(.gateDecision), "pending, approved, conditional or rejected"),
            ], toMany: [], computed: [])
        case .change:
            return EntitySchema(kind: k, fields: [
                FieldDef("id", .id, "change identifier", required: true),
                FieldDef("project", .reference(.project), "the project", required: true),
                FieldDef("title", .string, "what changes"),
                FieldDef("cost_impact", .money, "cost impact"),
                FieldDef("schedule_impact", .duration, "schedule impact in days"),
                FieldDef("state", .enumeration(.changeState), "draft, submitted, approved or rejected"),
            ], toMany: [], computed: [])
        case .holiday:
            return EntitySchema(kind: k, fields: [
                FieldDef("date", .date, "a non-working day for schedules and bd durations", required: true),
                FieldDef("name", .string, "what the day is"),
            ], toMany: [], computed: [])
        }
    }

    /// The critical path method on a project's tasks from the as-of date (Schedule/CPM.swift).
    static let scheduleComputed: [ComputedFieldDef] = [
        ComputedFieldDef("early_start", .date, "earliest start its predecessors allow"),
        ComputedFieldDef("early_finish", .date, "earliest finish (inclusive)"),
        ComputedFieldDef("late_start", .date, "latest start that does not delay the project"),
        ComputedFieldDef("late_finish", .date, "latest finish that does not delay the project"),
        ComputedFieldDef("total_float", .int, "working days it can slip without delaying the project"),
        ComputedFieldDef("free_float", .int, "working days it can slip without delaying a successor"),
        ComputedFieldDef("critical", .bool, "not complete and total float at or under the threshold (critical_float, 0 by default)"),
    ]

    /// Earned value fields, on projects from the latest status report on or before the as-of date.
    static let evmComputed: [ComputedFieldDef] = [
        ComputedFieldDef("pv", .money, "planned value"),
        ComputedFieldDef("ev", .money, "earned value"),
        ComputedFieldDef("ac", .money, "actual cost"),
        ComputedFieldDef("cv", .money, "cost variance: ev - ac"),
        ComputedFieldDef("sv", .money, "schedule variance: ev - pv"),
        ComputedFieldDef("cpi", .real, "cost performance index: ev / ac"),
        ComputedFieldDef("spi", .real, "schedule performance index: ev / pv"),
        ComputedFieldDef("eac", .money, "estimate at completion: bac / cpi"),
        ComputedFieldDef("etc", .money, "estimate to complete: eac - ac"),
        ComputedFieldDef("vac", .money, "variance at completion: bac - eac"),
        ComputedFieldDef("tcpi", .real, "to-complete performance index: (bac - ev) / (bac - ac)"),
    ]

    /// On programs and portfolios: the same fields from sums of their projects (Σ EV / Σ AC).
    static let rollupComputed: [ComputedFieldDef] =
        [ComputedFieldDef("bac", .money, "Σ bac of its projects")] + evmComputed
}
