// `.help [TOPIC]` and `.schema [SET]`: the written topics, plus fields, sets and enumerated values
// described from the model's catalogue.
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio

enum Help {
    /// One line per entity set.
    static let setDescriptions: [EntityKind: String] = [
        .person: "people: managers, sponsors, owners", .portfolio: "portfolios of programs and projects",
        .program: "programs grouping projects", .project: "projects, with earned value at the as-of date",
        .milestone: "project milestones", .task: "project tasks (a tree through parent)",
        .dependency: "links between projects or tasks", .resource: "people and teams with capacity",
        .allocation: "resources booked to projects", .timesheet: "hours and cost booked per week",
        .risk: "project risks with probability and impact", .issue: "open and closed project issues",
        .statusReport: "dated RAG status reports with pv, ev, ac", .gate: "stage gates and their decisions",
        .change: "change requests", .holiday: "non-working days for schedules and bd durations",
    ]

    /// Every topic name offered by completion.
    static var topicNames: [String] {
        var names = Set(HelpTopics.text.keys).union(HelpTopics.aliases.keys).union(HelpTopics.functions.keys)
        names.formUnion(MetaCommand.names.map { String($0.dropFirst()) })
        names.formUnion(EntityKind.allCases.map(\.setName))
        for s in Catalog.schemas { names.formUnion(s.allNames) }
        return names.filter { $0.first?.isLetter == true }.sorted()
    }

    /// The overview shown by `.help` alone.
    static func overview() -> String {
        var out = """
        Ask a question as a pipeline and press Enter:
          projects where status = red and bac > $1M | sort spi | take 5
          count(milestones where overdue)
          resources where utilization(2026-12) > 100%
        An unfinished line (ending in |, an operator or an open bracket) continues at ...>;
        an empty line there runs what you have typed. Errors point at the place with ^.

        Topics (.help TOPIC):
          stages       where sort take select extend group aggregate distinct expand
          statements   let def print export use asof assert
          operators    comparisons, between, in, is none, contains, matches, if, ??
          values       numbers, money, percent, dates, periods, durations, text, none
          functions    count sum avg min max median exists weeks months round ...
          sets         the entity sets          evm       earned value fields
          capacity     resource capacity        keys      editing keys and history
          and any field (.help cpi), set (.help risks) or value (.help amber).

        Commands:

        """
        for info in MetaCommand.table { out += "  " + DisplayWidth.pad(info.usage, to: 28, leftAlign: true) + info.summary + "\n" }
        out += "\nTab completes what fits where the cursor is; Ctrl-C cancels; Ctrl-D leaves.\n"
        return out
    }

    /// The help on one topic, or a message saying there is none (with close names).
    static func topic(_ raw: String, session: Session) -> String {
        var name = raw.lowercased()
        if name.hasPrefix("."), let info = MetaCommand.table.first(where: { $0.name == (MetaCommand.aliases[name] ?? name) }) {
            return command(info)
        }
        if name.hasPrefix(".") { name.removeFirst() }
        let key = HelpTopics.aliases[name] ?? name
        var parts: [String] = []
        if key == "sets" {
            parts.append((HelpTopics.text[key] ?? "") + "\n" + setList(session.store))
        } else if let text = HelpTopics.text[key] {
            parts.append(text + "\n")
        } else if let f = HelpTopics.functions[key] {
            parts.append(f + "\n")
        }
        if parts.isEmpty, let info = MetaCommand.table.first(where: { $0.name == "." + (MetaCommand.aliases["." + name].map { String($0.dropFirst()) } ?? name) }) {
            parts.append(command(info))
        }
        let original = raw.hasPrefix(".") ? String(raw.dropFirst()) : raw
        if let k = EntityKind(setName: original) ?? EntityKind(singular: original) {
            parts.append(setHeader(k, session.store) + "Fields: " + Catalog.schemas[k.rawValue].allNames.joined(separator: ", ")
                         + "\n(.schema \(k.setName) shows their types and meanings)\n")
        }
        if let f = field(original) { parts.append(f) }
        if let v = enumValue(original) { parts.append(v) }
        if session.userNames.contains(original) {
            let what = session.typeOfVariable(original).map { "a value (\($0)) you defined with let" } ?? "a function you defined with def"
            parts.append("\(original) is \(what).\n")
        }
        if !parts.isEmpty { return parts.joined(separator: "\n") }
        let hint = Suggest.closest(to: name, in: topicNames).map { " Did you mean '\($0)'?" } ?? ""
        return "No help on '\(raw)'.\(hint) .help alone lists the topics.\n"
    }

    static func command(_ info: MetaCommand.Info) -> String { "\(info.usage) — \(info.summary)\n" }

    static func setHeader(_ k: EntityKind, _ store: PortfolioStore) -> String {
        "\(k.setName) — \(setDescriptions[k] ?? k.setName); \(store.table(k).count) rows here. One of them: \(k.singular) \"ID\".\n"
    }

    static func setList(_ store: PortfolioStore) -> String {
        EntityKind.allCases.map { k in
            "  " + DisplayWidth.pad(k.setName, to: 16, leftAlign: true)
                + DisplayWidth.pad(String(store.table(k).count), to: 7, leftAlign: false) + "  " + (setDescriptions[k] ?? "")
        }.joined(separator: "\n") + "\n"
    }

    /// Where a name is a field, relationship or computed field, with its type, meaning and an example.
    static func field(_ name: String) -> String? {
        // (description, sets having it) in catalogue order; the example prefers projects.
        var groups: [(text: String, sets: [String])] = []
        var examples: [EntityKind: String] = [:]
        for schema in Catalog.schemas {
            let k = schema.kind
            // A field named like a keyword would be reached as `this.NAME`.
            let ref = Keyword(rawValue: name.lowercased()) == nil ? name : "this.\(name)"
            let text: String
            if let i = schema.fieldIndex(name) {
                let f = schema.fields[i]
                text = "\(typeText(f.type)) — \(meaning(f.doc, enumType(f.type)))"
                if let e = enumType(f.type), let v = e.cases.last {
                    examples[k] = "\(k.setName) where \(ref) = \(v)"
                } else {
                    examples[k] = "\(k.setName) | select \(label(schema)), \(ref) | take 5"
                }
            } else if let r = schema.toManyDef(name) {
                text = "the set of its \(r.target.setName) — \(r.doc)"
                examples[k] = "\(k.setName) | select \(label(schema)), n = count(\(name)) | take 5"
            } else if let c = schema.computedDef(name) {
                let call = c.takesPeriod ? "\(name)(PERIOD): " : ""
                text = "\(call)\(computedText(c.type)), computed at the as-of date — \(meaning(c.doc, enumType(c.type)))"
                examples[k] = c.takesPeriod ? "\(k.setName) | select \(label(schema)), x = \(name)(2026-12) | take 5"
                    : "\(k.setName) | select \(label(schema)), \(name) | take 5"
            } else {
                continue
            }
            if let g = groups.firstIndex(where: { $0.text == text }) { groups[g].sets.append(k.setName) } else { groups.append((text, [k.setName])) }
        }
        guard !groups.isEmpty else { return nil }
        var out = "\(name):\n"
        for g in groups { out += "  on \(g.sets.joined(separator: ", ")): \(g.text)\n" }
        let preferred: [EntityKind] = [.project, .resource, .risk, .milestone, .issue, .program]
        if let k = preferred.first(where: { examples[$0] != nil }) ?? EntityKind.allCases.first(where: { examples[$0] != nil }),
           let example = examples[k] {
            out += "Example: \(example)\n"
        }
        if HelpTopics.evmFields.contains(name) { out += "See also .help evm\n" }
        if ["capacity", "allocated", "requested", "utilization", "overallocated"].contains(name) { out += "See also .help capacity\n" }
        return out
    }

    /// The first column that names a row of the set (its id, else its first field).
    static func label(_ schema: EntitySchema) -> String {
        schema.fieldIndex("id") != nil ? "id" : (schema.fields.first?.name ?? "id")
    }

    /// An enumerated value: its type, its siblings and the fields that use it.
    static func enumValue(_ name: String) -> String? {
        var types: [EnumType] = []
        var users: [String] = []
        for schema in Catalog.schemas {
            for f in schema.fields {
                if case .enumeration(let e) = f.type, e.cases.contains(name) {
                    if !types.contains(e) { types.append(e) }
                    users.append("\(schema.kind.setName).\(f.name)")
                }
            }
            for c in schema.computed {
                if case .enumeration(let e) = c.type, e.cases.contains(name) {
                    if !types.contains(e) { types.append(e) }
                    users.append("\(schema.kind.setName).\(c.name)")
                }
            }
        }
        guard !types.isEmpty else { return nil }
        let kinds = types.map { "\($0.name) (\($0.cases.joined(separator: ", ")))" }.joined(separator: " and ")
        return "\(name) is a value of \(kinds), written bare after a field of that type.\n"
            + "Used by: \(users.joined(separator: ", "))\n"
    }

    /// A field's meaning, with the values of an enumerated type.
    static func meaning(_ doc: String, _ e: EnumType?) -> String {
        guard let e else { return doc }
        return doc + " (" + e.cases.joined(separator: ", ") + ")"
    }

    static func enumType(_ t: FieldType) -> EnumType? {
        if case .enumeration(let e) = t { return e }
        return nil
    }

    static func enumType(_ t: ComputedType) -> EnumType? {
        if case .enumeration(let e) = t { return e }
        return nil
    }

    static func typeText(_ t: FieldType) -> String {
        switch t {
        case .id: return "id"
        case .string: return "text"
        case .int: return "integer"
        case .real: return "number"
        case .bool: return "true/false"
        case .money: return "money"
        case .percent: return "percent"
        case .hours: return "hours"
        case .date: return "date"
        case .duration: return "duration"
        case .enumeration(let e): return e.name
        case .reference(let k): return "→ \(k.singular)"
        case .stringList: return "list of text"
        }
    }

    static func computedText(_ t: ComputedType) -> String {
        switch t {
        case .money: return "money"
        case .real: return "number"
        case .percent: return "percent"
        case .hours: return "hours"
        case .int: return "integer"
        case .bool: return "true/false"
        case .date: return "date"
        case .duration: return "duration"
        case .enumeration(let e): return e.name
        case .entity(let k): return "→ \(k.singular)"
        case .rows(let k): return "→ \(k.setName)"
        }
    }

    /// `.schema SET`: one row per field, relationship and computed field.
    static func schemaTable(_ k: EntityKind, userFields: [String]) -> ResultTable {
        let schema = Catalog.schemas[k.rawValue]
        var rows: [[Value]] = []
        for f in schema.fields {
            rows.append([.string(f.name), .string(typeText(f.type)),
                         .string(meaning(f.doc + (f.required ? " (required)" : ""), enumType(f.type)))])
        }
        for r in schema.toMany {
            rows.append([.string(r.name), .string("set of \(r.target.setName)"), .string(r.doc)])
        }
        for c in schema.computed {
            rows.append([.string(c.takesPeriod ? "\(c.name)(PERIOD)" : c.name), .string(computedText(c.type) + ", computed"),
                         .string(meaning(c.doc, enumType(c.type)))])
        }
        for u in userFields.sorted() {
            rows.append([.string(u), .string("yours"), .string("defined in this session with def \(k.singular).\(u)")])
        }
        // Only the meaning is cut to fit a narrow terminal (text columns shrink first).
        return ResultTable(columns: [ResultColumn(name: "field", kind: .enumeration), ResultColumn(name: "type", kind: .enumeration),
                                     ResultColumn(name: "meaning", kind: .text)], rows: rows)
    }

    /// `.schema`: the sets, their sizes and meanings.
    static func setsTable(_ store: PortfolioStore) -> ResultTable {
        let rows: [[Value]] = EntityKind.allCases.map { k in
            [.string(k.setName), .int(Int64(store.table(k).count)), .string(setDescriptions[k] ?? "")]
        }
        return ResultTable(columns: [ResultColumn(name: "set", kind: .text), ResultColumn(name: "rows", kind: .number),
                                     ResultColumn(name: "meaning", kind: .text)], rows: rows)
    }
}
