// The one set of escapes (issue 16): each format's special characters, control characters, and text
// that needs nothing, as a table.
import Testing
@testable import PMOBase

@Suite struct EscapeTests {
    @Test(arguments: [
        ("plain", "\"plain\""), ("a\"b\\c", "\"a\\\"b\\\\c\""), ("l1\nl2\tt\r", "\"l1\\nl2\\tt\\r\""),
        ("\u{01}\u{7F}", "\"\\u0001\\u007f\""), ("\u{2028}", "\"\\u2028\""), ("é ✓ 日本", "\"é ✓ 日本\""), ("", "\"\""),
    ])
    func json(_ c: (String, String)) { #expect(Escape.json(c.0) == c.1) }

    @Test(arguments: [
        ("<a href=\"x\">&'</a>", "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"), ("tab\tline\n", "tab\tline\n"),
        ("bell\u{07}", "bell\u{FFFD}"), ("C1\u{85}", "C1\u{FFFD}"), ("é", "é"),
    ])
    func html(_ c: (String, String)) { #expect(Escape.html(c.0) == c.1) }

    @Test(arguments: [
        ("<&>\"'", "&lt;&amp;&gt;&quot;&apos;"), ("a\nb\tc\r", "a&#10;b&#9;c&#13;"), ("nul\u{00}", "nul\u{FFFD}"),
        ("\u{FFFE}", "\u{FFFD}"), ("ok", "ok"),
    ])
    func xml(_ c: (String, String)) { #expect(Escape.xml(c.0) == c.1) }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        (" padded", "\" padded\""), ("", ""),
    ])
    func csv(_ c: (String, String)) { #expect(Escape.csv(c.0) == c.1) }
}
