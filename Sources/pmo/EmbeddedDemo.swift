// The demo portfolio compiled into the binary (DemoData.swift): written to a private temporary
// folder when no demo folder is found on disk, so a pmo copied anywhere still opens its demo.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

enum EmbeddedDemo {
    /// The folder written by `extract`, removed when the process exits.
    nonisolated(unsafe) private static var extracted: String?

    /// The embedded files' bytes by name.
    static var files: [(name: String, bytes: [UInt8])] {
        DemoData.files.compactMap { f in
            Data(base64Encoded: f.base64, options: .ignoreUnknownCharacters).map { (f.name, [UInt8]($0)) }
        }
    }

    /// Writes the embedded demo into a new folder only this user can read (`$TMPDIR/pmo-demo-XXXXXX`)
    /// and returns its path; nil when it cannot be written.
    static func extract(environment: [String: String]) -> String? {
        if let done = extracted { return done }
        var base = environment["TMPDIR"] ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        if base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/pmo-demo-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let p = buf.baseAddress else { return false }
            return mkdtemp(p) != nil
        }
        guard made else { return nil }
        let dir = template.withUnsafeBufferPointer { buf in
            String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        extracted = dir
        atexit { EmbeddedDemo.remove() }
        for f in files {
            guard FileManager.default.createFile(atPath: dir + "/" + f.name, contents: Data(f.bytes)) else {
                remove()
                return nil
            }
        }
        return dir
    }

    /// Removes the extracted folder.
    static func remove() {
        guard let dir = extracted else { return }
        extracted = nil
        try? FileManager.default.removeItem(atPath: dir)
    }
}
