// `matches` refuses regular expressions that can backtrack exponentially (RegexSafety.swift): a
// constant pattern is a check error (nothing runs), a pattern computed at run time a runtime error.
import Testing
@testable import PMORuntime

@Suite struct RegexSafetyTests {
    @Test(arguments: ["(a+)+", "^(a+)+$", "(a*)*", "(a+)*b", "(\\w+\\s?)*$", "((ab)+c)*", "(x|y+)+", "(a{2,})+",
                      "(?:a+)+", "(?<word>\\w+)*", "([a-z]+,)*", "(a+){2,5}", "((a+))+"])
    func refused(_ pattern: String) {
        #expect(RegexSafety.problem(pattern) != nil, "\(pattern) was accepted")
    }

    @Test(arguments: ["a+", "^PRJ-[0-9]+$", "(ab)+", "(a|b)*", "\\d{4}-\\d{2}", "(a+)?", "(a+)", "(a{2})+", "[(+)]+",
                      "\\(a+\\)+", "^(Key|Vendor)", "a{,3}", "x{", "(a?)+", "[a-z]*(,[a-z]*)?", "(a+b)", "(?i)abc+"])
    func accepted(_ pattern: String) {
        #expect(RegexSafety.problem(pattern) == nil, "\(pattern) was refused")
    }

    @Test func constantPatternIsACheckError() {
        let r = Fixture.run("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\" matches \"^(a+)+$\"")
        #expect(r.outputs.isEmpty)
        #expect(r.diagnostics.map(\.message) == [
            "cannot use the regular expression '^(a+)+$': a repeated group holds a repetition of its own, so matching can take exponential time",
        ])
    }

    @Test func computedPatternIsARuntimeError() {
        let r = Fixture.run("let p = \"^(a\" + \"+)+$\"\nprint \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\" matches p")
        #expect(r.diagnostics.isEmpty)
        #expect(r.runtimeError?.message.hasPrefix("cannot use the regular expression '^(a+)+$'") == true)
    }

    @Test func safePatternsStillMatch() {
        #expect(Fixture.scalar("\"PRJ-42\" matches \"^PRJ-[0-9]+$\"") == "true")
        #expect(Fixture.scalar("\"ab-ab-ab\" matches \"^(ab-)*ab$\"") == "true")
    }
}
