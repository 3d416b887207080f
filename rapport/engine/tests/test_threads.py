import os

import pytest

from rapport.engine.text.runtime import thread_count


def test_threads_default_to_every_core(monkeypatch):
    monkeypatch.delenv("RAPPORT_TEXT_THREADS", raising=False)
    assert thread_count() == (os.cpu_count() or 1)


def test_threads_can_be_set_by_environment(monkeypatch):
    monkeypatch.setenv("RAPPORT_TEXT_THREADS", "3")
    assert thread_count() == 3


def test_a_bad_thread_count_says_what_is_wrong(monkeypatch):
    monkeypatch.setenv("RAPPORT_TEXT_THREADS", "many")
    with pytest.raises(ValueError, match="RAPPORT_TEXT_THREADS"):
        thread_count()
