// `pmo query 'QUERY'`: run one statement text.
import ArgumentParser

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one statement and print the result.",
        discussion: prose("""
        The words of the query are joined with spaces, so quoting is optional for simple queries:
          pmo query 'projects where status = red | take 5'
          pmo query count projects
        """)
    )

    @Argument(help: ArgumentHelp("The statement to run.", valueName: "query"))
    var words: [String] = []

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if words.isEmpty { throw ValidationError("missing the query to run, as in: pmo query 'count(projects)'") }
    }

    mutating func run() throws {
        let text = words.joined(separator: " ")
        try Host.perform(common) { host throws(HostFailure) in
            try host.runCommandText(text)
        }
    }
}
