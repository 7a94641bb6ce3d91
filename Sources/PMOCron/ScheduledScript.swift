// The scripts of a scheduling directory (`pmo crontab DIR`, `pmo due DIR`): each `.pmo` file with
// its `schedule` lines (found from its tokens), their problems rendered as diagnostics, its summary
// comment, and how cron runs it.
import Foundation
import PMOSyntax

/// A script file of a scheduling directory and what it declares.
public struct ScheduledScript: Sendable {
    /// The absolute path.
    public var path: String
    public var name: String
    public var schedules: [CronSchedule]
    /// Rendered diagnostics for bad `schedule` lines.
    public var problems: String
    /// The script's first comment line, as its description.
    public var summary: String?
    /// The script has a `report` block (crontab and due then give it an output file with --report-dir).
    public var hasReport: Bool
    /// The script has a `check` statement: it runs as `pmo check --new-only`, so that cron reports only
    /// findings that are new since its last run.
    public var isCheck: Bool

    /// Every `.pmo` file directly in `directory`, in name order, with its schedules.
    public static func scan(directory: String) throws(CronFailure) -> [ScheduledScript] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw CronFailure(.missingInput, "'\(directory)' is not a directory of scripts")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pmo") }.sorted()
        } catch {
            throw CronFailure(.missingInput, "cannot read the directory '\(directory)': \(error.localizedDescription)")
        }
        let dir = RunLock.absolute(directory)
        let sources = SourceMap()
        var out: [ScheduledScript] = []
        for name in names {
            let path = dir + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CronFailure(.missingInput, "cannot read script '\(path)'")
            }
            let file = sources.add(name: directory.hasSuffix("/") ? directory + name : directory + "/" + name, bytes: Array(data))
            var schedules: [CronSchedule] = []
            var diagnostics: [Diagnostic] = []
            for found in ScheduleScanner.scan(file) {
                switch found.result {
                case .success(let s): schedules.append(s)
                case .failure(let e):
                    diagnostics.append(.error("invalid schedule: \(e.message)",
                                              at: ScheduleScanner.errorSpan(e, in: found.span, file: file)))
                }
            }
            let rendered = DiagnosticRenderer(sources: sources, color: false).render(diagnostics)
            out.append(ScheduledScript(path: path, name: name, schedules: schedules, problems: rendered,
                                       summary: summary(of: data), hasReport: ScheduleScanner.hasReport(file),
                                       isCheck: ScheduleScanner.hasCheck(file)))
        }
        return out
    }

    /// The first `#` comment of the file (a `#!` line aside).
    public static func summary(of data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n").prefix(20) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("#!") { continue }
            guard t.hasPrefix("#") else { if t.isEmpty { continue } else { return nil } }
            let body = t.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            if !body.isEmpty { return body }
        }
        return nil
    }

    /// The pmo subcommand and its cron options: `run --quiet`, or `check --new-only --quiet`.
    public var command: [String] { isCheck ? ["check", "--new-only", "--quiet"] : ["run", "--quiet"] }

    /// `--output DIR/NAME.html` for a script with a report when a report directory is given.
    public func outputArguments(reportDir: String?) -> [String] {
        guard hasReport, let reportDir else { return [] }
        let stem = name.hasSuffix(".pmo") ? String(name.dropLast(4)) : name
        return ["--output", RunLock.absolute(reportDir) + "/" + stem + ".html"]
    }
}
