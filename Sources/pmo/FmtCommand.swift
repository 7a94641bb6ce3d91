// `pmo fmt FILES... [--check]`: rewrite scripts in the canonical layout (PMOSyntax/Formatter.swift).
import ArgumentParser
import Foundation
import PMOSyntax

struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite scripts in the canonical layout (comments kept).",
        discussion: prose("""
        Each statement is printed in canonical form (lowercase keywords, sort and take, one line per \\
        statement); comments and single blank lines between statements are kept. Formatting twice \\
        changes nothing. A directory stands for its .pmo files. With --check nothing is written: the \\
        files that would change are listed and the exit status is 1.

        Exit status: 0 when every file is (or now is) formatted, 1 with --check when one is not, 65 for \\
        syntax errors (the file is left alone), 66 for a missing file, 74 when a file cannot be written.
        """)
    )

    @Argument(help: ArgumentHelp("Scripts or directories to format.", valueName: "files"))
    var files: [String] = []

    @Flag(name: .long, help: "Write nothing; list the files that are not formatted and exit 1.")
    var check = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("missing the files to format, as in: pmo fmt report.pmo") }
    }

    func run() throws {
        let fm = FileManager.default
        var paths: [String] = []
        for f in files {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: f, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("pmo: error: no such file: \(f)\n".utf8))
                throw ExitCode.missingInput
            }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: f)) ?? []).filter { $0.hasSuffix(".pmo") }.sorted()
                paths += names.map { (f as NSString).appendingPathComponent($0) }
            } else {
                paths.append(f)
            }
        }
        let sources = SourceMap()
        var unformatted: [String] = []
        var broken = false
        for path in paths {
            guard let data = fm.contents(atPath: path) else {
                FileHandle.standardError.write(Data("pmo: error: cannot read \(path)\n".utf8))
                throw ExitCode.missingInput
            }
            let file = sources.add(name: path, bytes: [UInt8](data))
            let (text, diagnostics) = Formatter.format(file)
            guard let text else {
                FileHandle.standardError.write(Data(DiagnosticRenderer(sources: sources, color: false).render(diagnostics).utf8))
                broken = true
                continue
            }
            if Data(text.utf8) == data { continue }
            if check { unformatted.append(path); continue }
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                FileHandle.standardError.write(Data("pmo: error: cannot write \(path): \(error.localizedDescription)\n".utf8))
                throw ExitCode.cannotWrite
            }
        }
        if broken { throw ExitCode.badInput }
        if !unformatted.isEmpty {
            print(unformatted.map { "\($0): not formatted" }.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }
}
