// The fault-injection harness of the column cache and the workspace (issue 19): seeded and bounded,
// it corrupts, truncates, swaps, links and replaces the workspace and its cache at chosen moments
// (before a load, between the sets of one load, while a cache is being written), and checks every
// answer against the same workspace read without a cache. A short run is part of `swift test`; a
// long one is run by hand:
//   PMO_FAULT_SECONDS=300 PMO_FAULT_SEED=7 nice -n 19 .build/debug/pmoPackageTests.xctest \
//       --testing-library swift-testing --filter FaultInjectionTests
// Every file it touches is inside its temporary folder.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

/// A small seeded generator (SplitMix64), so a failing run can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FaultInjectionTests {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var seconds: Double { Double(environment["PMO_FAULT_SECONDS"] ?? "") ?? 4 }
    static var seed: UInt64 { UInt64(environment["PMO_FAULT_SEED"] ?? "") ?? 19 }

    /// The faults, by name (the log of a failing run names the ones it applied).
    enum Fault: CaseIterable {
        case flipBytes, overwriteEightBytes, truncateCache, emptyCache, otherWorkspacesCache, linkToOtherCache,
             fifoAsCache, directoryAsCache, workspaceCopiedOver, workspaceRestored, workspaceLinked,
             truncateDuringLoad, replaceDuringLoad, killedWriterLeftovers, plantedTempLinks, deleteCache, importBetween
    }

    final class World {
        let dir: TempDir
        var rng: SplitMix64
        let a: String, b: String, pristineA: [UInt8], pristineB: [UInt8]
        /// What workspace `a` holds now: the snapshot a cache-free read gives.
        var expected: [String]
        let expectedA: [String], expectedB: [String]
        var log: [String] = []

        init(seed: UInt64) throws {
            dir = try TempDir()
            rng = SplitMix64(seed: seed)
            let wa = try demoWorkspace(dir, name: "a.db")
            try wa.close()
            let wb = try demoWorkspace(dir, name: "b.db")
            try dir.write("b.csv", "id,name,status\nPRJ-0001,Renamed in B,red\nPRJ-0002,Also in B,red\n")
            try wb.importFiles(ImportRequest(paths: [dir.file("b.csv")], asSet: .project))
            _ = try wb.loadStore(cache: .always)
            try wb.close()
            a = dir.file("a.db"); b = dir.file("b.db")
            pristineA = bytes(a); pristineB = bytes(b)
            expectedA = snapshot(try Workspace.open(path: a, readOnly: true).loadStore(cache: .never))
            expectedB = snapshot(try Workspace.open(path: b, readOnly: true).loadStore(cache: .never))
            expected = expectedA
            #expect(expectedA != expectedB)
        }

        var cache: String { a + "-columns" }
        func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

        /// Replaces the cache file by `new` bytes (a new file, as another program would).
        func replaceCache(_ new: [UInt8]) throws {
            removeCache()
            try Data(new).write(to: URL(fileURLWithPath: cache))
        }

        func removeCache() {
            var st = stat()
            if lstat(cache, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { rmdir(cache) } else { unlink(cache) }
        }

        /// Writes `content` over workspace `a` in place (same inode, as `cp` does).
        func overwriteA(_ content: [UInt8]) throws {
            for s in ["-wal", "-shm"] { unlink(a + s) }
            let fh = try #require(FileHandle(forWritingAtPath: a))
            fh.truncateFile(atOffset: 0)
            fh.write(Data(content))
            fh.closeFile()
        }

        func ensureCache() throws {
            if SafeFiles.oddity(cache) != nil { removeCache() }
            _ = try Workspace.open(path: a, readOnly: true).loadStore(cache: .always)
        }

        func check(_ what: String) throws {
            let store = try Workspace.open(path: a, readOnly: true).loadStore(cache: int(2) == 0 ? .auto : .always)
            let got = snapshot(store)
            #expect(store.loadFailure == nil, "\(what): \(store.loadFailure ?? "")\n\(log.suffix(20).joined(separator: "\n"))")
            #expect(got == expected, "a wrong answer after \(what)\n\(log.suffix(20).joined(separator: "\n"))")
        }

        func apply(_ f: Fault) throws {
            log.append("\(f)")
            switch f {
            case .flipBytes, .overwriteEightBytes:
                try ensureCache()
                var c = bytes(cache)
                guard !c.isEmpty else { return }
                let n = f == .flipBytes ? 1 + int(4) : 8
                let at = int(c.count - n)
                for i in at..<min(c.count, at + n) { c[i] = f == .flipBytes ? c[i] ^ UInt8(1 << int(8)) : UInt8(truncatingIfNeeded: rng.next()) }
                try replaceCache(c)
            case .truncateCache:
                try ensureCache()
                let c = bytes(cache)
                try replaceCache(Array(c.prefix(int(c.count))))
            case .emptyCache:
                try replaceCache([])
            case .otherWorkspacesCache:
                try replaceCache(bytes(b + "-columns"))
            case .linkToOtherCache:
                removeCache()
                symlink(b + "-columns", cache)
            case .fifoAsCache:
                removeCache()
                mkfifo(cache, 0o644)
                try check("\(f)")
                removeCache()
            case .directoryAsCache:
                removeCache()
                mkdir(cache, 0o755)
                try check("\(f)")
                removeCache()
            case .workspaceCopiedOver:
                try ensureCache()
                try overwriteA(pristineB)
                expected = expectedB
            case .workspaceRestored:
                try ensureCache()
                try overwriteA(pristineA)
                expected = expectedA
            case .workspaceLinked:
                // `a.db` becomes a link to a copy of the other workspace, beside a's cache.
                try ensureCache()
                let other = dir.file("linked-\(int(1 << 30)).db")
                try Data(expected == expectedA ? pristineB : pristineA).write(to: URL(fileURLWithPath: other))
                let real = dir.file("a-real.db")
                unlink(real)
                rename(a, real)
                symlink(other, a)
                expected = expected == expectedA ? expectedB : expectedA
                try check("\(f)")
                // Back to a regular file holding what the link held.
                let held = bytes(other)
                unlink(a)
                try Data(held).write(to: URL(fileURLWithPath: a))
                unlink(other); unlink(real)
            case .truncateDuringLoad, .replaceDuringLoad:
                try ensureCache()
                let store = try Workspace.open(path: a, readOnly: true).loadStore(cache: .auto)
                let kinds = EntityKind.allCases.shuffled(using: &rng)
                let cut = int(kinds.count)
                for k in kinds[..<cut] { _ = store.table(k).columns.map(\.field) }
                if f == .truncateDuringLoad {
                    truncate(cache, off_t(int(bytes(cache).count)))
                } else {
                    try replaceCache(bytes(b + "-columns"))
                }
                #expect(snapshot(store) == expected, "a wrong answer after \(f)\n\(log.suffix(20).joined(separator: "\n"))")
                #expect(store.loadFailure == nil, "\(f): \(store.loadFailure ?? "")")
            case .killedWriterLeftovers:
                // A writer killed at a chosen moment: a temporary file holding a prefix of a cache.
                try ensureCache()
                let c = bytes(cache)
                try Data(c.prefix(int(c.count))).write(to: URL(fileURLWithPath: cache + ".tmp-" + SafeFiles.randomSuffix()))
            case .plantedTempLinks:
                try dir.write("victim.txt", "precious\n")
                symlink(dir.file("victim.txt"), cache + ".tmp-" + SafeFiles.randomSuffix())
            case .deleteCache:
                removeCache()
            case .importBetween:
                // The data changes (a new random generation): the cache must not answer for the old data.
                try ensureCache()
                let w = try Workspace.open(path: a, readOnly: false)
                let name = "Changed \(int(1_000_000))"
                try dir.write("c.csv", "id,name\nPRJ-0003,\(name)\n")
                try w.importFiles(ImportRequest(paths: [dir.file("c.csv")], asSet: .project))
                try w.close()
                expected = snapshot(try Workspace.open(path: a, readOnly: true).loadStore(cache: .never))
            }
            try check("\(f)")
            if let victim = dir.read("victim.txt") { #expect(victim == "precious\n", "a planted link was followed") }
        }
    }

    @Test func faultsNeverGiveAWrongAnswer() throws {
        let world = try World(seed: FaultInjectionTests.seed)
        defer { world.dir.remove() }
        let deadline = Date().addingTimeInterval(FaultInjectionTests.seconds)
        var applied = 0
        repeat {
            let f = Fault.allCases[world.int(Fault.allCases.count)]
            try world.apply(f)
            applied += 1
        } while Date() < deadline
        // Leftovers of killed writers are cleaned by the next cache written.
        try world.ensureCache()
        world.removeCache()
        _ = try Workspace.open(path: world.a, readOnly: true).loadStore(cache: .always)
        let names = try FileManager.default.contentsOfDirectory(atPath: world.dir.path)
        let leftovers = names.filter { $0.contains(".tmp-") && SafeFiles.oddity(world.dir.file($0)) == nil }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(applied >= 10)
        print("fault injection: seed \(FaultInjectionTests.seed), \(applied) faults in \(FaultInjectionTests.seconds) s")
    }
}
