"""``rapport reach-out`` prints a member's list, or everyone's."""

from rapport.test import main


def test_it_prints_bobs_list(personas, bakery_week, capsys):
    assert main(["reach-out", "--workspace", "alices-bakery", "--member", "bob@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Bob Okafor's list, 2 items." in out
    assert "Dana Petit: No one from the business has been in touch with Dana Petit" in out
    assert "Eli Moreau" not in out


def test_it_prints_everyones_list_with_whose_each_item_is(personas, bakery_week, capsys):
    assert main(["reach-out", "--workspace", "alices-bakery"]) == 0
    out = capsys.readouterr().out
    assert "everyone's list, 4 items." in out and "Dana Petit [Bob Okafor]" in out


def test_it_refuses_a_stranger_and_a_bad_date(personas, bakery_week, capsys):
    args = ["reach-out", "--workspace", "alices-bakery"]
    assert main([*args, "--member", "charlie@example.com"]) == 2
    assert main([*args, "--as-of", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert "charlie@example.com is not a member of alices-bakery" in err
    assert "is not a date" in err
