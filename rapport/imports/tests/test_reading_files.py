"""Reading tables: encodings, delimiters, spreadsheets and broken files (no database)."""

import codecs

import pytest
from openpyxl import Workbook

from rapport.lib.tabular import BadRecord, Row, TabularError, detect_encoding, open_table

TEXT = "id;name\n1;Zoë Müller\n2;Renée Façade\n"


def _rows(path):
    with open_table(path) as table:
        return table.header, list(table.rows())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16le-bom", "utf16be-bom", "utf16le-no-bom"],
)
def test_it_reads_each_encoding_to_the_same_rows(write_file, raw, expected):
    path = write_file("people.csv", raw)
    assert detect_encoding(path) == expected
    header, rows = _rows(path)
    assert header == ["id", "name"]
    assert [r.values for r in rows] == [["1", "Zoë Müller"], ["2", "Renée Façade"]]


def test_it_falls_back_to_cp1252_when_utf8_fails_late_in_the_file(write_file):
    raw = ("id,name\n" + "".join(f"{i},plain\n" for i in range(20000)) + "9,Café\n").encode(
        "cp1252"
    )
    assert detect_encoding(write_file("late.csv", raw)) == "cp1252"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_sniffs_the_delimiter(write_file, delimiter):
    path = write_file(
        "d.csv",
        delimiter.join(["id", "name", "city"]) + "\n" + delimiter.join(["1", "Ann", "Lyon"]) + "\n",
    )
    header, rows = _rows(path)
    assert header == ["id", "name", "city"]
    assert rows[0].values == ["1", "Ann", "Lyon"]


def test_it_reads_whitespace_aligned_text_like_cdnow(write_file):
    path = write_file(
        "cd.txt", " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n"
    )
    header, rows = _rows(path)
    assert header == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert rows == [Row(2, ["00001", "19970101", "1", "11.77"])]


def test_it_counts_physical_lines_across_quoted_newlines(write_file):
    path = write_file("q.csv", 'id,note\n1,"two\nlines"\n2,after\n')
    _, rows = _rows(path)
    assert [(r.line, r.values[0]) for r in rows] == [(2, "1"), (4, "2")]


def test_it_reports_an_unterminated_quote_and_reads_the_rows_after_it(write_file):
    path = write_file("u.csv", 'id,name\n1,Ann\n2,"Bob\n3,Cleo\n4,Dan\n')
    _, rows = _rows(path)
    bad = [r for r in rows if isinstance(r, BadRecord)]
    assert [b.line for b in bad] == [3]
    assert "quote" in bad[0].reason
    assert [r.values for r in rows if isinstance(r, Row)] == [
        ["1", "Ann"],
        ["3", "Cleo"],
        ["4", "Dan"],
    ]


def test_it_reports_ragged_rows_with_their_line(write_file):
    path = write_file("r.csv", "id,name,city\n1,Ann,Lyon\n2,Bob\n3,Cleo,Nice,extra\n4,Dan,Metz,\n")
    _, rows = _rows(path)
    assert [(r.line, type(r).__name__) for r in rows] == [
        (2, "Row"),
        (3, "BadRecord"),
        (4, "BadRecord"),
        (5, "Row"),
    ]
    assert "expected 3 cells" in rows[1].reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("   \n\n  \n", "empty"),
        ("id,name,id\n1,a,2\n", "duplicate column name 'id'"),
        ("1,2024-01-03,4.50\n2,2024-01-04,3.00\n", "looks like data"),
    ],
    ids=["empty", "whitespace-only", "duplicate-header", "no-header"],
)
def test_it_refuses_files_without_a_usable_header(write_file, content, message):
    with pytest.raises(TabularError, match=message):
        open_table(write_file("bad.csv", content))


def test_it_streams_the_first_sheet_of_an_xlsx_workbook(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["Customer ID", "Date", "Amount"])
    sheet.append(["C1", dt.datetime(2024, 3, 5), 12.5])
    sheet.append([None, None, None])
    sheet.append([1001, dt.datetime(2024, 3, 6, 14, 30), 3.0])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    header, rows = _rows(path)
    assert header == ["Customer ID", "Date", "Amount"]
    assert rows == [
        Row(2, ["C1", "2024-03-05", "12.5"]),
        Row(4, ["1001", "2024-03-06T14:30:00", "3"]),
    ]


def test_it_refuses_a_file_type_it_does_not_know(write_file):
    with pytest.raises(TabularError, match="unsupported file type"):
        open_table(write_file("notes.pdf", "x"))


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("ID,Name\n1,山田太郎\n2,佐藤花子\n3,鈴木一郎\n", "shift_jis"),
        ("ID,Name\n1,王小明\n2,李华\n3,张伟\n", "gbk"),
        ("ID,Name\n1,Иван Петров\n2,Анна\n", "cp1251"),
    ],
)
def test_it_refuses_text_that_an_8_bit_fallback_would_garble(write_file, text, encoding):
    with pytest.raises(TabularError, match="save it as CSV UTF-8"):
        detect_encoding(write_file("names.csv", text, encoding=encoding))


def test_it_still_reads_western_text_with_accents_and_quotes_as_cp1252(write_file):
    text = "ID,Name,Note\n1,Hélène Müller,« très bien »\n2,Zoë Ñandú,“great” — thanks\n"
    assert detect_encoding(write_file("names.csv", text, encoding="cp1252")) == "cp1252"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(32), "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(32), "a JPEG image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"PK\x03\x04" + bytes(32), "name it .xlsx"),
        (b"ID,Name\n1,A\x00nn\n", "NUL bytes"),
    ],
)
def test_it_refuses_binary_files_saying_what_they_look_like(write_file, content, message):
    with pytest.raises(TabularError, match=message):
        open_table(write_file("data.csv", content))


def test_a_cell_longer_than_the_limit_is_reported_as_too_long_not_as_quotes(
    write_file, monkeypatch
):
    monkeypatch.setattr("rapport.lib.tabular.MAX_CELL_CHARS", 1_000)
    path = write_file(
        "long.csv", "id,name,notes\n1,Ann,short\n2,Ben," + "x" * 2_000 + "\n3,Cy,ok\n"
    )
    _, rows = _rows(path)
    assert [r.values[:2] for r in rows if isinstance(r, Row)] == [["1", "Ann"], ["3", "Cy"]]
    [bad] = [r for r in rows if isinstance(r, BadRecord)]
    assert bad.line == 3
    assert "notes" in bad.reason and "longer than 1,000 characters" in bad.reason
    assert "quote" not in bad.reason


def test_a_megabyte_cell_is_read_whole(write_file):
    path = write_file("big.csv", "id,notes\n1," + "y" * 1_000_000 + "\n")
    _, [row] = _rows(path)
    assert isinstance(row, Row) and len(row.values[1]) == 1_000_000


def test_cells_our_exports_escaped_read_back_as_they_were(write_file):
    from rapport.lib.csvstream import csv_download_lines

    cells = ['=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(1)", "\tTab", "+44 7700 900123", "-5"]
    cells += ["'quoted already", "it's", "plain"]
    path = write_file("export.csv", "".join(csv_download_lines(["id", "value"], enumerate(cells))))
    _, rows = _rows(path)
    assert [r.values[1] for r in rows] == cells
