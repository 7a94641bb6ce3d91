// Help text written in the source as short lines, reflowed so swift-argument-parser can wrap it to
// the terminal: without this, each source line is wrapped on its own and an 80-column terminal shows
// a ragged page (a long line, then a one-word line, then the next source line).

/// Joins the lines of each paragraph of `text` into one line. Blank lines, indented lines (examples,
/// tables), list items (`- `) and headings (`EXAMPLES:`) keep their own lines.
func prose(_ text: String) -> String {
    var out: [String] = []
    var joinable = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        let starts = line.first
        let blockLine = line.isEmpty || starts == " " || starts == "\t" || line.hasPrefix("- ")
        let heading = line.hasSuffix(":") && line == line.uppercased()
        if joinable && !blockLine && !heading, let last = out.popLast() {
            out.append(last + " " + line)
        } else {
            out.append(line)
        }
        joinable = !blockLine && !heading && !line.hasSuffix(":")
    }
    return out.joined(separator: "\n")
}
