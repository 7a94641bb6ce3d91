// The RFC 4180 reader: quoting, escapes, line ends, BOM, positions and malformed input.
import Testing
import Portfolio

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] { try CSVReader(text: text).readAll() }

    @Test func plainRecords() throws {
        #expect(try records("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]]) // no final line end
        #expect(try records("") == [])
        #expect(try records("\n\n") == [])
    }

    /// Cells and records are bounded (issue 19): a cell of 1 MB is read, one byte more is an error at
    /// the cell quoting a short prefix, quoted or not, with `""` escapes or not; so are too many cells.
    @Test func cellsAndRecordsAreBounded() throws {
        let max = CSVReader.maxCellBytes
        let fits = String(repeating: "a", count: max)
        #expect(try records("x," + fits + "\n")[0][1].utf8.count == max)
        #expect(try records("x,\"" + fits + "\"\n")[0][1].utf8.count == max)
        for text in ["x," + fits + "b\n", "x,\"" + fits + "b\"\n", "x,\"\"\"" + fits + "\"\n", "x,\"" + fits + "bc"] {
            do {
                _ = try records("h1,h2\n" + text)
                Issue.record("a cell beyond the limit was read")
            } catch let error as CSVError {
                #expect(error.line == 2 && error.column == 3, "\(error)")
                #expect(error.message.hasPrefix("a cell of more than 1048576 bytes (it starts '"), "\(error.message.prefix(200))")
                #expect(error.message.utf8.count < 200)
            } catch {
                Issue.record("\(error)")
            }
        }
        let wide = Array(repeating: "1", count: CSVReader.maxCellsPerRecord).joined(separator: ",")
        #expect(try records(wide + "\n")[0].count == CSVReader.maxCellsPerRecord)
        #expect(throws: CSVError.self) { try records(wide + ",1\n") }
        #expect(throws: CSVError.self) { try records(wide + ",\"1\"\n") }
    }

    @Test func quotedFields() throws {
        #expect(try records("\"a,b\",c\n") == [["a,b", "c"]])
        #expect(try records("\"say \"\"hi\"\"\",x\n") == [["say \"hi\"", "x"]])
        #expect(try records("\"\"\"\"\n") == [["\""]])
        #expect(try records("\"\",x\n") == [["", "x"]])
        #expect(try records("\"two\nlines\",y\nz,w\n") == [["two\nlines", "y"], ["z", "w"]])
    }

    @Test func lineEnds() throws {
        #expect(try records("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        #expect(try records("a\r\n\r\nb\r\n") == [["a"], ["b"]]) // blank lines are skipped
    }

    @Test func emptyCellsAndTrailingCommas() throws {
        #expect(try records("a,,c\n,,\n") == [["a", "", "c"], ["", "", ""]])
        #expect(try records("a,b,") == [["a", "b", ""]])
        #expect(try records("a,b,\n") == [["a", "b", ""]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let r = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\nX,Y\n".utf8))
        #expect(try r.nextRecord())
        #expect(r.string(0) == "id")
        #expect(r.column(0) == 1)
        #expect(r.column(1) == 4)
    }

    @Test func linesAndColumnsOfCells() throws {
        let r = CSVReader(text: "id,name\n\"multi\nline\",é,z\nq,\"r\"\"s\",t\n")
        #expect(try r.nextRecord())
        #expect(r.recordLine == 1)
        #expect(try r.nextRecord())
        #expect(r.recordLine == 2)
        #expect(r.line(0) == 2 && r.column(0) == 1)
        #expect(r.line(1) == 3 && r.column(1) == 7) // after `line",`
        #expect(r.line(2) == 3 && r.column(2) == 9) // é counts as one character
        #expect(r.cells[0].quoted && !r.cells[1].quoted)
        #expect(try r.nextRecord())
        #expect(r.recordLine == 4)
        #expect(r.string(1) == "r\"s" && r.cells[1].unescaped)
        #expect(r.column(2) == 10)
        #expect(r.columnAfterLastCell() == 11)
        #expect(try !r.nextRecord())
    }

    @Test func unterminatedQuote() {
        #expect(throws: CSVError(line: 2, column: 3, message: "unterminated quoted field")) {
            _ = try CSVReader(text: "a,b\n1,\"open\n\n").readAll()
        }
    }

    @Test func textAfterClosingQuote() {
        #expect(throws: CSVError(line: 1, column: 6,
                                 message: "unexpected character after a closing quote (a quote inside a quoted field is written \"\")")) {
            _ = try CSVReader(text: "a,\"b\"c\n").readAll()
        }
    }

    @Test func bareQuoteInsideUnquotedFieldIsKept() throws {
        #expect(try records("5\" disk,x\n") == [["5\" disk", "x"]])
    }

    @Test func delimitersAtEveryOffset() throws {
        // Cells of every length around the eight-byte scanning step, with every line end.
        for a in 0...19 {
            for end in ["\n", "\r\n", "\r"] {
                let x = String(repeating: "x", count: a), y = String(repeating: "y", count: 19 - a)
                #expect(try records(x + "," + y + end + y + "," + x + end) == [[x, y], [y, x]])
                #expect(try records(x + "," + y + end + y + "," + x) == [[x, y], [y, x]])
            }
        }
    }

    @Test func readsFromDisk() throws {
        let f = try Fixture(["t.csv": "a,\"b\nc\"\r\n1,2"])
        defer { f.remove() }
        let r = try CSVReader(path: f.path("t.csv"))
        #expect(try r.readAll() == [["a", "b\nc"], ["1", "2"]])
    }

    @Test func missingFile() {
        #expect(throws: CSVError.self) { _ = try CSVReader(path: "/nonexistent/pmo/file.csv") }
    }
}
