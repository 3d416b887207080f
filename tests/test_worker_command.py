"""`rapport worker`'s options: a wrong value stops it with one line, before any work."""

import pytest

from rapport.cli import main


@pytest.mark.parametrize("value", ["-1", "20"])
def test_a_priority_outside_what_nice_allows_is_refused(db, capsys, value):
    assert main(["worker", "--nice", value, "--until-empty"]) == 2
    assert "--nice must be between 0 and 19" in capsys.readouterr().err
