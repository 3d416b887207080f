"""`rapport analyze FILE --text-column COL`: the real command, with no database behind it."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rapport.engine.text import analyze

ROOT = Path(__file__).resolve().parents[1]

ROWS = [
    ("1", "Thanks a lot for charging me twice."),
    ("2", ""),
    ("3", "😡😡😡"),
    ("4", "Le pain était rassis et le service très lent. Écrivez à marie.dupont@example.com"),
    ("5", "Please send the invoice to ines.home@example.com, thank you!"),
]


def write_csv(path: Path, rows, header=("id", "comment")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rapport(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `rapport ...` in ``tmp_path`` where a database is impossible: the data folder does
    not exist and the Django settings module cannot be imported, so any use of either fails."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RAPPORT_DATA_DIR": str(tmp_path / "no-data-here"),
        "DJANGO_SETTINGS_MODULE": "no_such_settings_module",
    }
    return subprocess.run(
        [sys.executable, "-c", "import sys; from rapport.cli import main; sys.exit(main())", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_it_writes_every_row_with_its_reading_and_needs_no_database(tmp_path):
    write_csv(tmp_path / "feedback.csv", ROWS)
    result = rapport(
        tmp_path, "analyze", "feedback.csv", "--text-column", "comment", "--out", "out.csv"
    )
    assert result.returncode == 0, result.stderr
    assert "Analysed 5 rows" in result.stdout
    assert not (tmp_path / "no-data-here").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feedback.csv", "out.csv"]

    sarcasm, empty, emoji, french, email = read_csv(tmp_path / "out.csv")
    assert [sarcasm["id"], sarcasm["comment"]] == list(ROWS[0])
    # Whether it is flagged is the model's call (see test_needs_human's sarcasm case); the
    # command writes exactly the library's verdict, reason and words.
    reading = analyze([text for _, text in ROWS])[0]  # one batch, as the command reads it
    assert sarcasm["needs_human_flagged"] == ("yes" if reading.needs_human.flagged else "no")
    assert sarcasm["needs_human_score"] == f"{reading.needs_human.score:.4f}"
    assert sarcasm["needs_human_reasons"].startswith("money: ")
    assert sarcasm["error"] == ""

    assert empty["error"] == "empty text" and empty["sentiment"] == ""

    assert emoji["sentiment"] == "negative" and emoji["language_supported"] == "yes"
    assert emoji["top_emotions"] and emoji["error"] == ""

    assert french["language"] == "fr" and french["language_supported"] == "no"
    assert french["sentiment"] == "" and french["needs_human_score"] == ""
    assert "email" in french["pii_kinds"]
    assert french["redacted_text"].endswith(" à [EMAIL]")

    assert email["pii_kinds"] == "email"
    assert email["redacted_text"] == "Please send the invoice to [EMAIL], thank you!"
    assert email["sentiment"] in {"neutral", "positive"}


def test_a_missing_text_column_lists_the_columns_there_are(tmp_path):
    write_csv(tmp_path / "feedback.csv", ROWS)
    result = rapport(tmp_path, "analyze", "feedback.csv", "--text-column", "text")
    assert result.returncode == 2
    assert "no column 'text'" in result.stderr and "'id', 'comment'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "feedback-analyzed.csv").exists()


def test_lexicon_mode_without_pii_reads_only_the_first_rows(tmp_path):
    write_csv(tmp_path / "feedback.tsv", ROWS)  # comma-separated despite the name: sniffed
    result = rapport(
        tmp_path,
        "analyze",
        "feedback.tsv",
        "--text-column",
        "COMMENT",
        "--mode",
        "lexicon",
        "--no-pii",
        "--limit",
        "3",
    )
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "feedback-analyzed.csv")
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert "redacted_text" not in rows[0] and "pii_kinds" not in rows[0]
    # VADER reads the sarcasm as praise; the phrase still flags the double charge.
    assert rows[0]["sentiment"] == "positive" and rows[0]["needs_human_flagged"] == "yes"
    assert rows[0]["top_emotions"] == ""


def test_a_malformed_row_keeps_its_cells_and_says_why(tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text(
        "id,comment,language\n1,Lovely bread,en\n2,too,many,cells\n3,Cold coffee again,en\n",
        encoding="utf-8",
    )
    result = rapport(
        tmp_path, "analyze", "feedback.csv", "--text-column", "comment", "--mode", "lexicon"
    )
    assert result.returncode == 0, result.stderr
    good, bad, cold = read_csv(tmp_path / "feedback-analyzed.csv")
    # The file's own "language" column stays; the reading's gets a prefix.
    assert good["language"] == "en" and good["rapport_language"] == "en"
    assert bad["id"] == "2" and bad["error"].startswith("line 3: expected 3 cells")
    assert cold["sentiment"] and cold["error"] == ""


def test_an_interrupted_write_leaves_no_file(tmp_path):
    from rapport.lib.csvstream import write_csv_atomically

    def rows():
        yield ["a"]
        raise KeyboardInterrupt

    out = tmp_path / "out.csv"
    with pytest.raises(KeyboardInterrupt):
        write_csv_atomically(out, ["text"], rows())
    assert list(tmp_path.iterdir()) == []
