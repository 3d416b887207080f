"""``lib.collector.held_off``: the cyclic garbage collector is off inside, and afterwards as
it was before, however the block ends."""

import gc

import pytest

from rapport.lib.collector import held_off


@pytest.fixture
def collector_restored():
    was_on = gc.isenabled()
    yield
    (gc.enable if was_on else gc.disable)()


def test_off_inside_and_on_again_after(collector_restored):
    gc.enable()
    with held_off():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error(collector_restored):
    gc.enable()
    with pytest.raises(ValueError), held_off():
        int("not a number")
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_restored):
    gc.disable()
    with held_off():
        pass
    assert not gc.isenabled()
