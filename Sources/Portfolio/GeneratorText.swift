// The generator's seeded random numbers and the words it builds names from. Everything here is
// integer arithmetic over fixed tables, so a seed gives the same bytes on every machine.

/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and the same sequence everywhere.
public struct SplitMix64 {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (n > 0), without modulo bias worth noticing (Lemire's multiply-shift).
    public mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// True with probability `perMille` / 1000.
    public mutating func chance(perMille: Int) -> Bool { below(1000) < perMille }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A child generator for one part of the portfolio, so that changing one part's draws leaves the others alone.
    public mutating func fork(_ salt: UInt64) -> SplitMix64 { SplitMix64(seed: next() ^ (salt &* 0xD6E8_FEB8_6659_FD93)) }
}

/// Words for names, titles and tags.
enum GeneratorText {
    static let firstNames = ["Ada", "Aisha", "Alejandro", "Amara", "Anders", "Ana", "Arjun", "Beatriz", "Ben", "Camille",
        "Carlos", "Chen", "Chloe", "Dara", "David", "Deepa", "Elena", "Emeka", "Emma", "Farah", "Felix", "Grace", "Hana",
        "Hiro", "Ibrahim", "Ines", "Isaac", "Jamal", "Jana", "Javier", "Jin", "Jonas", "Julia", "Kai", "Karin", "Kofi",
        "Lars", "Laura", "Leila", "Liam", "Lucia", "Maya", "Mei", "Mateo", "Nadia", "Nia", "Noah", "Olga", "Omar", "Priya",
        "Rafael", "Rania", "Rosa", "Sam", "Sana", "Sofia", "Tariq", "Tess", "Tomas", "Uma", "Victor", "Yara", "Yusuf", "Zoe"]
    static let lastNames = ["Abara", "Andersen", "Banerjee", "Bauer", "Brennan", "Castillo", "Chen", "Costa", "Dubois",
        "Eriksen", "Fischer", "Garcia", "Gonzalez", "Haddad", "Hansen", "Ibrahim", "Ito", "Jensen", "Kaur", "Kim", "Kowalski",
        "Laine", "Lindqvist", "Lopez", "Mahlangu", "Martin", "Meyer", "Mensah", "Moreau", "Murphy", "Nakamura", "Novak",
        "Nwosu", "Okafor", "Olsen", "Patel", "Pereira", "Petrov", "Quinn", "Rahman", "Reyes", "Rossi", "Sato", "Schmidt",
        "Silva", "Singh", "Sorensen", "Tanaka", "Torres", "Van Dijk", "Wang", "Weber", "Williams", "Yilmaz", "Zhang"]
    static let departments = ["Finance", "Operations", "Digital", "IT Infrastructure", "Clinical", "Regulatory Affairs",
        "Supply Chain", "Customer Service", "Data Office", "Security", "HR", "Legal", "Marketing", "Engineering", "Quality"]
    static let roles = ["Project Manager", "Business Analyst", "Solution Architect", "Developer", "Senior Developer",
        "Test Analyst", "Data Engineer", "ERP Consultant", "Change Manager", "Security Engineer", "UX Designer",
        "Scrum Master", "Infrastructure Engineer", "Trainer", "Data Scientist", "Regulatory Specialist"]
    static let portfolioNames = ["Enterprise Transformation", "Regulatory & Compliance", "Digital Commerce", "Clinical Systems",
        "Infrastructure & Cloud", "Data & Analytics", "Customer Experience", "Operations Excellence", "Security & Risk",
        "Growth & Innovation"]
    static let areas = ["ERP", "Claims", "Billing", "Payroll", "Warehouse", "Supplier", "Customer", "Clinical Trial",
        "Pharmacovigilance", "Identity", "Data Platform", "Analytics", "E-commerce", "Order-to-Cash", "Procure-to-Pay",
        "Field Service", "Contact Centre", "Document", "Quality Management", "Treasury", "Tax", "Network", "Cloud Hosting",
        "Mobile App", "Loyalty", "Pricing", "Forecasting", "Labelling", "Serialisation", "Case Management"]
    static let objects = ["Platform", "System", "Portal", "Integration", "Data Warehouse", "Workflow", "Reporting",
        "Master Data", "Interfaces", "Controls", "Infrastructure", "Service Desk", "Mobile Client", "API Gateway"]
    static let actions = ["Replacement", "Modernisation", "Rollout", "Upgrade", "Migration", "Implementation",
        "Consolidation", "Automation", "Redesign", "Remediation", "Harmonisation", "Decommissioning"]
    static let programActions = ["Transformation", "Modernization", "Programme", "Initiative", "Roadmap"]
    static let tags = ["strategic", "regulatory", "cost-saving", "growth", "cloud", "erp", "data", "security",
        "customer", "compliance", "infrastructure", "ai", "mandatory", "quick-win"]
    static let phases = ["Initiation", "Design", "Build", "Test", "Deploy"]
    static let taskVerbs = ["Requirements", "Solution design", "Configuration", "Development", "Data migration",
        "Integration test", "User acceptance test", "Training", "Cut-over", "Hypercare"]
    static let milestoneNames = ["Business case approved", "Requirements signed off", "Design complete", "Build complete",
        "Integration test exit", "UAT sign-off", "Training complete", "Go-live", "Hypercare exit", "Benefits review",
        "Vendor contract signed", "Data migration rehearsal", "Security accreditation", "Pilot complete", "Regulator submission"]
    static let riskTitles = ["Key vendor resource turnover", "Data quality worse than assumed", "Interface specification late",
        "Regulatory guidance changes scope", "Test environment not available", "Licence costs above estimate",
        "Business SMEs not released", "Cut-over window too short", "Performance below target at volume",
        "Security findings delay go-live", "Dependency on another project slips", "Budget freeze next fiscal year"]
    static let issueTitles = ["Defect backlog blocking test cycle", "Environment outage", "Missing master data",
        "Interface failing in integration test", "Key user unavailable", "Vendor deliverable late", "Scope dispute with business",
        "Licence shortfall", "Performance degradation in staging", "Access requests not approved"]
    static let changeTitles = ["Add a legal entity to scope", "Extend hypercare", "Additional interface",
        "Defer reporting module", "Upgrade to the vendor's new release", "Add a pilot site", "Extra data migration cycle"]
    static let summaries = ["On track against the baseline.", "Minor slippage in testing; recovery plan in place.",
        "Budget pressure from vendor change requests.", "Awaiting steering committee decision on scope.",
        "Resourcing gap in the data workstream.", "Go-live readiness under review.", "Critical defects open; escalated."]

    /// A person's name; `n` spreads names over the tables so that neighbours differ.
    static func personName(_ n: Int) -> String {
        firstNames[n % firstNames.count] + " " + lastNames[(n / firstNames.count + n * 7) % lastNames.count]
    }

    /// An e-mail address for a person's name and number.
    static func email(_ name: String, _ n: Int) -> String {
        var local = ""
        for ch in name.lowercased() { if ch.isLetter { local.append(ch) } else if ch == " " { local.append(".") } }
        return local + String(n) + "@example.com"
    }
}
