// Helpers for the workspace tests: temporary folders, the demo portfolio, comparing stores.
import Foundation
import PMOBase
import Portfolio
@testable import Workspace

/// A temporary folder, removed by `remove()`.
struct TempDir {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let u = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
        return u.path
    }

    func read(_ name: String) -> String? {
        (try? Data(contentsOf: url.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let demo = root.appendingPathComponent("examples/demo").path
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
}

/// Every stored value of every set as text, row by row (references as the related ids), and the settings.
func snapshot(_ store: PortfolioStore) -> [String] {
    var out: [String] = []
    for k in EntityKind.allCases {
        var w = CSVWriter()
        TableCSV.write(store, k, into: &w)
        out.append(k.setName + "\n" + String(decoding: w.bytes, as: UTF8.self))
    }
    out.append("currency=\(store.currency) fy=\(store.fiscalYearStartMonth) status=\(store.statusDate?.description ?? "-") "
               + "green=\(store.thresholds.green) amber=\(store.thresholds.amber)")
    return out
}

/// The error a workspace operation fails with, or nil when it succeeds.
func failure<T>(_ body: () throws(WorkspaceError) -> T) -> WorkspaceError? {
    do { _ = try body(); return nil } catch { return error }
}

/// A workspace holding the demo portfolio.
func demoWorkspace(_ dir: TempDir, name: String = "demo.db") throws -> Workspace {
    let ws = try Workspace.create(path: dir.file(name))
    try ws.importFiles(ImportRequest(paths: [Paths.demo]))
    return ws
}

/// The bytes of a file.
func bytes(_ path: String) -> [UInt8] { (try? Data(contentsOf: URL(fileURLWithPath: path))).map { [UInt8]($0) } ?? [] }

/// The modification time of a file, in nanoseconds.
func modificationTime(_ path: String) -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { return -1 }
    return st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec
}
