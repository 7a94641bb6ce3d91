// The written help of `.help TOPIC`: stages, statements, operators, values, functions and keys.
// Fields, sets and enumerated values are described from the catalogue (Help.swift).

enum HelpTopics {
    /// Topic name → text. Every example works on the demo portfolio.
    static let text: [String: String] = [
        "stages": """
        A pipeline starts from a set and passes its rows through stages, left to right.
        Stages may be joined with | or simply follow each other.
          where COND            keep rows where COND is true        .help where
          sort KEY [desc], ...  order rows (also: order by)         .help sort
          take N                the first N rows (also: limit)      .help take
          select ITEM, ...      choose or compute columns           .help select
          extend NAME = EXPR    add columns, keep the rest          .help extend
          group by KEY, ...     one group per key; then select      .help group
          aggregate NAME = AGG  one row of totals                   .help aggregate
          distinct [KEY, ...]   unique rows                         .help distinct
          expand NAME in LIST   one row per element                 .help expand
          as of DATE            the source as it stood at DATE      .help asof
        Example:  projects where phase = execution | sort bac desc | take 5 | select id, name, bac
        """,
        "where": """
        where COND — keep the rows for which COND is true (rows where it is unknown because a
        value is none are dropped too; test with `is none` to find them).
          projects where status = red and bac > $1M
          milestones where due < today and completed is none
          projects where count(milestones where overdue) >= 2
        Inside `where`, the fields of the row are plain names (status, bac), and a relationship
        such as milestones means this row's milestones.
        """,
        "sort": """
        sort KEY [asc|desc], ... — order rows by one or more keys (stable; none sorts last).
        `order by` is the same.
          projects | sort spi
          projects | sort status desc, bac desc | take 10
        """,
        "take": """
        take N — keep the first N rows (`limit N` is the same). After sort, the top N.
          risks | sort score desc | take 5
        """,
        "select": """
        select ITEM, ... — choose the columns to show. An item is a field or expression, or
        NAME = EXPR to name the column. After group by, each item is computed per group.
          projects | select id, name, overrun = ac - bac
          projects | group by program.name | select program = program.name, n = count(), bac = sum(bac)
        """,
        "extend": """
        extend NAME = EXPR, ... — add computed columns and keep the row's own.
          projects | extend size = if bac >= $5M then "large" else "small" | sort size
        """,
        "group": """
        group by KEY, ... — put rows with equal keys into one group; the next select or aggregate
        computes one row per group, with aggregates (count(), sum(bac), ...) over its members.
          projects | group by status | select status, n = count(), budget = sum(bac)
          timesheets | group by week.month | select month = week.month, hours = sum(hours)
        Rows whose key is none form one group.
        """,
        "aggregate": """
        aggregate NAME = AGG, ... — one row with totals over all rows.
          projects where phase = execution | aggregate n = count(), budget = sum(bac), spi = sum(ev) / sum(pv)
        Portfolio indices come from sums (Σ EV / Σ AC), never averages of ratios.
        """,
        "distinct": """
        distinct [KEY, ...] — unique rows (alone: unique whole rows).
          projects | select phase | distinct
        """,
        "expand": """
        expand NAME in LIST — one row per element of LIST, the element bound to NAME.
          resources | expand w in weeks(2026-Q4) | where overallocated(w) | select name, week = w, load = utilization(w)
        """,
        "asof": """
        as of DATE — the date `today` means. As a statement it holds for the rest of the session;
        as a stage it applies to that pipeline. `.asof DATE` does the same from the prompt, and the
        prompt shows the date when it is not today's.
          as of 2026-09-30
          count(projects where status = red)
        Earned value, overdue milestones, status and capacity all follow the as-of date.
        """,
        "statements": """
        Statements (one per line, or separated by ;):
          let NAME = PIPELINE              a named value            .help let
          def NAME(P, ...) = EXPR          a function               .help def
          def SET.FIELD = EXPR             a computed field         .help def
          print TEXT                       show text                .help print
          export PIPELINE to "FILE.csv"    write a file             .help export
          use "FILE.pmo"                   definitions from a file  .help use
          as of DATE                       set the as-of date       .help asof
          assert COND, "message"           stop if COND is false    .help assert
        Anything else is a query: its value is shown.
        """,
        "let": """
        let NAME = PIPELINE — name a value for the rest of the session.
          let big = projects where bac > $5M
          big | sort cpi | select id, name, cpi
        """,
        "def": """
        def NAME(P, ...) = EXPR — a function;  def SET.FIELD = EXPR — a computed field.
          def overrun(p) = p.ac - p.bac
          projects | select id, over = overrun(this) | sort over desc | take 5
          def project.burn = ac / weeks(start, today)
          projects | sort burn desc | take 5 | select id, name, burn
        """,
        "print": """
        print TEXT — show text; {expr} inside double quotes is replaced by its value.
          print "{count(projects where status = red)} red projects"
        """,
        "export": """
        export PIPELINE to "FILE" — write rows to a file; the extension picks the format
        (.csv, .json, .md, .html). Files go under the current folder unless allowed otherwise.
          export projects where status = red | select id, name, bac to "red.csv"
        """,
        "use": """
        use "FILE.pmo" — take the definitions (let, def) of another file.
        `.load FILE` does the same from the prompt; `.run FILE` runs a whole script.
        """,
        "assert": """
        assert COND, "message" — stop with the message when COND is not true.
          assert count(projects where id is none) = 0, "every project has an id"
        """,
        "operators": """
        Comparisons   = != < <= > >=   x between A and B   x in [a, b]   x not in [...]
        none          x is none   x is not none   a ?? b (b where a is none)
        Text          contains   starts with   ends with (ignore case)   matches (regex)
        Logic         not, and, or (a comparison with none is unknown; where drops unknown)
        Arithmetic    + - * / with units: money / money is a number, date - date a duration
        Choice        if COND then A else B
          projects where phase in [planning, execution] and name contains "sap"
        """,
        "between": """
        x between A and B — A <= x <= B, inclusive at both ends.
          projects where finish between 2026-10-01 and 2026-Q4.end
        """,
        "in": """
        x in [a, b, ...] — x equals one of them; `not in` is the opposite.
          projects where phase in [planning, execution]
        """,
        "matches": """
        Text tests: `contains`, `starts with`, `ends with` ignore case; `matches` is a regular expression.
          projects where name contains "sap"
          risks where title matches "^(Key|Vendor)"
        """,
        "if": """
        if COND then A else B — B when COND is false or unknown; `else if` chains.
          projects | select id, size = if bac >= $5M then "large" else if bac >= $1M then "medium" else "small"
        """,
        "none": """
        none is a missing value. Arithmetic with none gives none; a comparison with none is
        unknown, so `where` drops the row; `x is none` / `x is not none` always answer;
        `a ?? b` gives b where a is none. Division by zero gives none.
          projects where sponsor is none and bac > $1M
          projects | select id, cpi = cpi ?? 1.0
        """,
        "values": """
        Numbers     42  3.14  1_000_000  1.5M  250k
        Money       $1.5M  €250k  £900  250k EUR — exact; mixing currencies is an error
        Percent     85% (the number 0.85)
        Dates       2026-11-22   today   today + 30d   finish - start (a duration)
        Periods     2026-11  2026-Q4  2026-W47  FY2026 — with .start, .end, .days
        Durations   30d  2w  3mo  1y  10bd (business days)
        Text        "with {interpolation}"  'without'
        Others      true false none; enumerated values written bare: status = red
        A date has .week .month .quarter .year (periods, for grouping) and .day .weekday.
        """,
        "functions": """
        Aggregates (skip none; sum of nothing is 0):
          count(SET) or count()   sum(X)   avg(X)   min(X)   max(X)   median(X)   list(X)
          max(a, b) / min(a, b) of several values
        Other functions:
          exists(SET)             true when SET has a row
          weeks(A, B) months(A, B) quarters(A, B)   the periods from A to B (or of one period)
          days(X)                 a duration or period in days
          round(X [, digits])   abs(X)   length(TEXT)   lower(TEXT)   upper(TEXT)
        In a where/select, aggregates take the row's relationships: count(milestones where overdue).
          count(projects where status = red)
          projects | group by program.name | select program = program.name, cpi = sum(ev) / sum(ac)
        """,
        "evm": """
        Earned value fields, on projects from the latest status report on or before the as-of date
        (programs and portfolios: from the sums over their projects):
          pv planned value   ev earned value   ac actual cost   bac budget at completion
          cv = ev - ac   sv = ev - pv   cpi = ev / ac   spi = ev / pv
          eac = bac / cpi   etc = eac - ac   vac = bac - eac   tcpi = (bac - ev) / (bac - ac)
        CPI or SPI below 1 means over budget or behind schedule; computed_status bands them
        (green ≥ 0.95, amber ≥ 0.90, else red).
          projects where cpi < 0.9 | sort cpi | select id, name, cpi, spi, eac
        """,
        "capacity": """
        Resources have capacity per period; allocations book it:
          capacity(P)       hours available in period P (weekly capacity by working days)
          allocated(P)      hours of approved allocations;  requested(P) the requested ones
          utilization(P)    allocated / capacity;  overallocated(P) when allocated > capacity
          resources where utilization(2026-12) > 100% | select id, name, load = utilization(2026-12)
          resources | expand w in weeks(2026-Q4) | where overallocated(w) | select name, week = w
        """,
        "sets": """
        The entity sets (`.schema SET` lists a set's fields):
        """,
        "keys": """
        Tab           complete: keywords, sets, fields of the set in scope, enum values after
                      status = , ids inside project "…", your let/def names, commands, files
        Up / Down     earlier inputs (a multi-line input comes back whole)
        Ctrl-R        search earlier inputs as you type; Enter takes it, Ctrl-G gives up
        Ctrl-A Ctrl-E start / end of line     Alt-B Alt-F  word left / right
        Ctrl-K Ctrl-U delete to end / start   Ctrl-W       delete the word before
        Ctrl-C        clear the line, or cancel a running query
        Ctrl-D        leave (on an empty line)
        History is kept in $PMO_HISTFILE, else $XDG_STATE_HOME/pmo/history, else
        ~/.local/state/pmo/history (set PMO_HISTORY= to keep none). ~/.editrc may add key bindings.
        """,
    ]

    /// Other names for topics.
    static let aliases: [String: String] = [
        "order": "sort", "limit": "take", "as": "asof", "of": "asof", "today": "asof", "by": "group",
        "stage": "stages", "pipeline": "stages", "pipelines": "stages", "statement": "statements",
        "operator": "operators", "and": "operators", "or": "operators", "not": "operators", "is": "none",
        "??": "none", "contains": "matches", "starts": "matches", "ends": "matches", "then": "if", "else": "if",
        "value": "values", "literals": "values", "money": "values", "dates": "values", "periods": "values",
        "function": "functions", "aggregates": "functions", "earned": "evm", "earned_value": "evm",
        "utilisation": "capacity", "editing": "keys", "history": "keys", "completion": "keys", "keyboard": "keys",
    ]

    /// The earned value fields (`.help cpi` points to `.help evm`).
    static let evmFields: Set<String> = ["pv", "ev", "ac", "bac", "cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi"]

    /// Functions and their one-line help (the `functions` topic has them all).
    static let functions: [String: String] = [
        "count": "count(SET) — the number of rows; count() counts a group's rows after group by",
        "sum": "sum(X) — the total, skipping none (0 of the right unit for no values)",
        "avg": "avg(X) — the mean, skipping none (none for no values)",
        "min": "min(X) — the smallest; min(a, b, ...) of several values",
        "max": "max(X) — the largest; max(a, b, ...) of several values",
        "median": "median(X) — the middle value (mean of the middle two for an even count)",
        "list": "list(X) — the values as a list",
        "exists": "exists(SET) — true when SET has at least one row: exists(issues where state = open)",
        "weeks": "weeks(A, B) — the ISO weeks from A to B; weeks(P) those of period P",
        "months": "months(A, B) — the months from A to B; months(P) those of period P",
        "quarters": "quarters(A, B) — the quarters from A to B; quarters(P) those of period P",
        "round": "round(X [, digits]) — X rounded half away from zero",
        "abs": "abs(X) — the absolute value",
        "length": "length(TEXT) — the number of characters",
        "lower": "lower(TEXT) — in lower case",
        "upper": "upper(TEXT) — in upper case",
        "days": "days(X) — a duration or period in days",
    ]
}
