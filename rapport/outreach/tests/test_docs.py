"""docs/outreach.md names every prompt kind and every threshold."""

from dataclasses import fields
from pathlib import Path

from rapport.engine.outreach import KINDS, Thresholds

DOC = (Path(__file__).resolve().parents[3] / "docs" / "outreach.md").read_text()


def test_every_prompt_kind_is_documented():
    assert [k for k in KINDS if f"`{k}`" not in DOC] == []


def test_every_threshold_is_documented():
    names = [f.name for f in fields(Thresholds) if f.name != "individual_employees"]
    assert [n for n in names if f"`{n}`" not in DOC] == []


def test_every_window_of_what_followed_is_documented():
    names = ["REPLY_DAYS", "SENTIMENT_AFTER_DAYS", "SENTIMENT_BEFORE_DAYS", "PURCHASE_DAYS"]
    names += ["DELIVERY_DAYS", "EFFECT_WEEKS", "MIN_GROUP"]
    assert [n for n in names if f"`{n}`" not in DOC] == []
