// `--assets DIR` with `--format md`: each chart of the run becomes an SVG file in DIR, linked from the
// Markdown by a path relative to the page (GitHub and GitLab strip inline SVG from Markdown, so a
// report pushed to a repository or a wiki shows its charts only as image files).
import Foundation
import PMORender
import PMORuntime

enum ChartAssets {
    /// The folder as the page links it: relative to the folder of the `--output` file, or of the
    /// current directory when the page goes to standard output.
    static func link(assets: String, output: String?) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        var pageDir = components(output.map { absolute($0, cwd) } ?? cwd)
        if output != nil, !pageDir.isEmpty { pageDir.removeLast() }
        let target = components(absolute(assets, cwd))
        var common = 0
        while common < pageDir.count, common < target.count, pageDir[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: pageDir.count - common)
        let parts = up + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    static func absolute(_ path: String, _ cwd: String) -> String {
        path.hasPrefix("/") ? path : cwd + "/" + path
    }

    /// The path's components with `.` and `..` resolved (lexically).
    static func components(_ path: String) -> [String] {
        var out: [String] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(String(part))
        }
        return out
    }

    /// Writes the charts' files into `folder` (created when missing), each atomically.
    static func write(_ charts: [Chart], to folder: String) throws(HostFailure) {
        guard !charts.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw HostFailure(.cannotWrite, "cannot create the assets folder '\(folder)': \(error.localizedDescription)")
        }
        for c in charts {
            let path = (folder.hasSuffix("/") ? folder : folder + "/") + Renderer.assetName(c)
            try AtomicFile.write(Array(Renderer.chartFile(c).utf8), to: path)
        }
    }
}
