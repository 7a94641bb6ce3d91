// Options shared by every command that runs statements: workspace or data, as-of date, output format and place, colour.
import ArgumentParser
import PMOBase
import Portfolio
import PMORender

extension Format: ExpressibleByArgument {}

/// When to colour output: `auto` colours a terminal unless `NO_COLOR` is set or `TERM=dumb`.
enum ColorMode: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never
}

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The workspace file to query (else $PMO_WORKSPACE, else ./portfolio.db when it exists).", valueName: "file"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp(
        "A folder of CSV files to query instead of a workspace (else $PMO_DATA; with no workspace either, the bundled demo).",
        valueName: "dir"))
    var data: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The date `today` means (YYYY-MM-DD); default: the portfolio's status date, else today (UTC).",
        valueName: "date"))
    var asOf: String?

    @Option(name: .long, help: ArgumentHelp(
        "Output format: table, csv, json, jsonl (JSON Lines), md or html (default: table, or from the --output file's extension); `check` and `test` also take junit and sarif.",
        valueName: "format"))
    var format: OutputFormat?

    @Option(name: .long, help: ArgumentHelp(
        "Write the results to this file (atomically: a temporary file, then rename).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --format md: write each chart as an SVG file in this folder and link it from the page by a relative path (GitHub and GitLab strip inline SVG).",
        valueName: "dir"), completion: .directory)
    var assets: String?

    @Flag(name: .long, help: ArgumentHelp("Show table rows as records, one field per line (as psql's \\x)."))
    var expanded = false

    @Flag(name: .long, help: ArgumentHelp("Wrap long text within its cell instead of cutting it with … (terminal tables; `.wrap on` at the prompt)."))
    var wrap = false

    @Flag(name: .customLong("no-headers"), help: ArgumentHelp("Leave out the header row of tables and CSV (`.headers off` at the prompt)."))
    var noHeaders = false

    @Option(name: .long, help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: ColorMode = .auto

    @Flag(name: .long, help: ArgumentHelp(
        "Print nothing when there is nothing to act on (no rows, no findings, no text); no notes. Errors still go to standard error."))
    var quiet = false

    @Option(name: .long, help: ArgumentHelp(
        "Stop a run that takes longer than this many seconds (exit 70, \"timed out after N s\").", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("allow-write"), help: ArgumentHelp(
        "Let `export` write under this directory too (repeatable; default: only under the current directory).",
        valueName: "dir"))
    var allowWrite: [String] = []

    @Option(name: .customLong("allow-read"), help: ArgumentHelp(
        "Let `use` read .pmo scripts under this directory too (repeatable; default: under the script's directory and the current directory).",
        valueName: "dir"))
    var allowRead: [String] = []
    @Option(name: .long, help: ArgumentHelp(
        "Who makes changes, for the journal (else $PMO_USER, else the operating system's user).", valueName: "name"))
    var user: String?

    @Option(name: .customLong("max-steps"), help: ArgumentHelp(
        "Stop a run after this many steps (rows and calls evaluated; exit 70). Default: 500000000.", valueName: "n"))
    var maxSteps: Int = 500_000_000

    @Option(name: .customLong("max-rows"), help: ArgumentHelp(
        "The most rows a stage may produce, items a list may hold and characters a text may have (exit 70 beyond). Default: 50000000.",
        valueName: "n"))
    var maxRows: Int = 50_000_000

    @Option(name: .customLong("max-depth"), help: ArgumentHelp(
        "The deepest nesting of brackets and operators one statement may have (exit 65 beyond). Default: 200, at most 500.",
        valueName: "n"))
    var maxDepth: Int = 200

    @Option(name: .long, help: ArgumentHelp(
        "The encoding of CSV files read (pmo import, and a --data folder) when not UTF-8: windows-1252, latin1 or utf-16 (a UTF-16 byte-order mark is recognised without it).",
        valueName: "name"))
    var encoding: String?

    /// The parsed `--encoding`, if given (validated in `validate`).
    var inputEncoding: InputEncoding? { encoding.flatMap(InputEncoding.init(name:)) }

    /// The parsed `--as-of` date, if given (validated in `validate`).
    var asOfDay: Day? { asOf.flatMap { Day(iso: Substring($0)) } }

    func validate() throws {
        if let text = asOf, Day(iso: Substring(text)) == nil {
            throw ValidationError("invalid --as-of date '\(text)': expected a calendar date as YYYY-MM-DD")
        }
        if let d = data, d.isEmpty { throw ValidationError("--data needs a directory") }
        if let e = encoding, InputEncoding(name: e) == nil {
            throw ValidationError("unknown encoding '\(e)' (expected utf-8, windows-1252, latin1 or utf-16)")
        }
        if maxSteps < 1 { throw ValidationError("invalid --max-steps \(maxSteps): give a number of steps of at least 1") }
        if maxRows < 1 { throw ValidationError("invalid --max-rows \(maxRows): give a number of rows of at least 1") }
        // 500: the checker recurses per level, and about 750 nested calls such as abs(abs(...)) overflow
        // the 8 MB main thread stack of a debug build.
        if !(1...500).contains(maxDepth) { throw ValidationError("invalid --max-depth \(maxDepth): give a depth from 1 to 500") }
        if let w = workspace, w.isEmpty { throw ValidationError("--workspace needs a file name") }
        if workspace != nil && data != nil { throw ValidationError("--workspace and --data name two portfolios: give one") }
        if let t = timeout, !(t > 0 && t <= 31_536_000) {
            throw ValidationError("invalid --timeout '\(t)': give a number of seconds above 0 (at most a year)")
        }
        if let o = output, o.isEmpty { throw ValidationError("--output needs a file name") }
        if let o = output, o.hasSuffix("/") { throw ValidationError("--output '\(o)' names a directory, not a file") }
        if let a = assets {
            if a.isEmpty { throw ValidationError("--assets needs a folder") }
            if effectiveFormat != .md {
                throw ValidationError("--assets writes the charts of a Markdown page: use it with --format md (HTML pages keep their charts inline)")
            }
        }
    }

    /// The format to use: `--format`, else the `--output` file's extension, else a table. (junit and
    /// sarif are `check`'s and `test`'s: `documentFormat()` refuses them elsewhere.)
    var effectiveFormat: Format {
        if let document = format?.document { return document }
        if let o = output, let f = Format(fileExtensionOf: o) { return f }
        return .table
    }
}

extension CommonOptions {
    /// `effectiveFormat` for a command that writes results: junit and sarif (reports of `pmo check`
    /// and `pmo test`) are refused with the formats that command takes.
    func documentFormat() throws(HostFailure) -> Format {
        if let f = format, f.ci != nil {
            throw HostFailure(.badCommandLine, "--format \(f.rawValue) is a report of pmo check and pmo test; "
                              + "here write table, csv, json, jsonl, md or html")
        }
        return effectiveFormat
    }
}

/// Every value of `--format`: the document formats every command writes, and the CI reports
/// (junit, sarif) that `check` and `test` write. One option, parsed as given (no rewriting).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json, jsonl, md, html, junit, sarif

    /// The document format, or nil for a CI report.
    var document: Format? { Format(rawValue: rawValue) }
    /// The CI report, or nil for a document format.
    var ci: CIFormat? { CIFormat(rawValue: rawValue) }
}
