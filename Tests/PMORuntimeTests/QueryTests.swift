// Queries over the fixture portfolio: filters, relationships, aggregates, units and none semantics.
import Testing
import PMOBase
@testable import PMORuntime

@Suite struct QueryTests {
    @Test func whereAndSort() {
        #expect(Fixture.column("projects where status = red and bac > $1M | sort spi | take 20 | select id, name, spi, cpi") == ["PRJ-1"])
        #expect(Fixture.column("projects | sort bac desc") == ["PRJ-3", "PRJ-1", "PRJ-2", "PRJ-4"])
        #expect(Fixture.column("projects | sort bac") == ["PRJ-2", "PRJ-1", "PRJ-3", "PRJ-4"])
    }

    @Test func scalars() {
        #expect(Fixture.scalar("1 + 2 * 3") == "7")
        #expect(Fixture.scalar("1 / 0") == "none")
        #expect(Fixture.scalar("$1.5M + $500k") == "$2,000,000.00")
        #expect(Fixture.scalar("10% + 20% + 70% = 100%") == "true")
        #expect(Fixture.scalar("count(projects where status = red)") == "1")
        #expect(Fixture.scalar("2026-Q4.end") == "2026-12-31")
        #expect(Fixture.scalar("today + 3mo") == "2027-02-20")
    }

    @Test func overflowIsARuntimeError() {
        let r = Fixture.run("9223372036854775807 + 1")
        #expect(r.runtimeError?.message.contains("overflow") == true)
    }
}
