"""The triage benchmark's conversations (benchmarks/bench_triage.py, ``chain``): single
labelled messages chained as its docstring and docs/benchmarks.md say."""

from collections import Counter

from benchmarks.bench_triage import chain

LABELS = [1] * 20 + [0] * 100
FAMILIES = ["customer", "supplier"] * 60


def test_every_message_is_in_exactly_one_conversation():
    used = Counter(i for c in chain(LABELS, FAMILIES) for i in c.messages)
    assert sorted(used) == list(range(len(LABELS))) and set(used.values()) == {1}


def test_a_conversation_keeps_to_one_family_and_at_most_four_messages():
    for c in chain(LABELS, FAMILIES):
        assert len({FAMILIES[i] for i in c.messages}) == 1 and 1 <= len(c.messages) <= 4


def test_it_needs_a_person_when_its_one_such_message_does_and_says_where_it_turns():
    for c in chain(LABELS, FAMILIES):
        needy = [k for k, i in enumerate(c.messages) if LABELS[i]]
        assert len(needy) == c.label <= 1
        assert c.kind == {(): "calm", (0,): "first"}.get(tuple(needy), "later")


def test_half_turn_in_a_later_message_and_the_times_run_in_order():
    conversations = chain(LABELS, FAMILIES)
    assert Counter(c.kind for c in conversations)["later"] == 10
    assert all(c.times == sorted(c.times) for c in conversations)


def test_the_same_seed_gives_the_same_conversations():
    assert chain(LABELS, FAMILIES, seed=3) == chain(LABELS, FAMILIES, seed=3)
    assert chain(LABELS, FAMILIES, seed=3) != chain(LABELS, FAMILIES, seed=4)


def test_it_names_the_message_that_needs_a_person():
    for c in chain(LABELS, FAMILIES):
        assert (c.needy is not None) == bool(c.label)
        assert c.needy is None or (c.needy in c.messages and LABELS[c.needy])
