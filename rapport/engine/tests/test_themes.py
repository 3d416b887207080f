"""Themes of Alice's Bakery's feedback, found by the real sentence encoder (no mocks).

Three topics an owner would name at a glance: waiting, the bakes, and money. Each list has
30 texts; the first 25 of each are the first collection, the last 5 arrive later.
"""

import os
import threading
import time

import numpy as np
import pytest

from rapport.engine.text.encoder import Encoder
from rapport.engine.text.themes import Theme, assign, discover_themes, text_phrases

WAITING = [
    "We waited forty minutes for two coffees.",
    "The queue was out the door again this morning.",
    "Waited ages to be served, only one person behind the counter.",
    "Service was painfully slow, we nearly missed our train.",
    "Twenty minutes in the queue for a single croissant order.",
    "Long wait for our table even though we had booked.",
    "Why does it take so long to get served on a Saturday?",
    "The wait for food was over an hour.",
    "Slow service, nobody came to take our order for ages.",
    "The line barely moved, I gave up and left.",
    "We stood in the queue for half an hour.",
    "Took forever to get the bill at the end.",
    "Far too long waiting at the till.",
    "Waiting time for takeaway orders is ridiculous.",
    "Slow, slow, slow. The queue never seems to move.",
    "I waited 25 minutes for a sandwich.",
    "Lovely place but the waiting times are getting worse.",
    "Had to wait ages for someone to notice us.",
    "The queue at lunchtime is unbearable.",
    "Service is so slow that my tea went cold before the cake came.",
    "Queued for ages, then they had run out.",
    "It took them forty-five minutes to bring our breakfast.",
    "Please add another person at the counter, the waits are too long.",
    "We waited and waited and nobody came.",
    "The wait between courses was far too long.",
    "Long queues every weekend, it needs sorting out.",
    "Slow service again today, twenty minutes for a flat white.",
    "My lunch break was over before I reached the front of the queue.",
    "Too much waiting around for a simple order.",
    "The queue for the counter stretched down the street.",
]
BREAD = [
    "The sourdough was stale and hard as a rock.",
    "Best croissants in town, flaky and buttery.",
    "The bread was dry and tasted a day old.",
    "Lovely fresh baguettes every morning.",
    "The cinnamon buns were burnt on the bottom.",
    "Your rye loaf is the best bread I have ever had.",
    "The pastries were soggy and flat.",
    "The croissant was stale, clearly yesterday's.",
    "Beautiful crusty sourdough, soft inside.",
    "The bread had mould on it when I got home.",
    "Lovely almond croissants, still warm from the oven.",
    "The cake was dry and crumbly.",
    "Such tasty pastries, the pain au chocolat is perfect.",
    "The baguette was chewy and undercooked.",
    "Freshly baked bread that smells amazing.",
    "The scones were dense and dry.",
    "My loaf of sourdough was raw in the middle.",
    "Gorgeous pastries, the custard tart is a dream.",
    "The wholemeal loaf was stale by lunchtime.",
    "The brioche was light and sweet, just right.",
    "The cheese twists were overbaked and bitter.",
    "The seeded bread is delicious toasted.",
    "The doughnuts were greasy and stale.",
    "Great bread, the crust is perfect.",
    "The croissants have got smaller and less buttery.",
    "Your focaccia is soft, salty and full of olive oil.",
    "The chocolate cake was rich and moist.",
    "The rolls were hard and tasted of nothing.",
    "The bagels were chewy in the best way.",
    "The fruit loaf was dry and had hardly any fruit.",
]
BILLING = [
    "I was charged twice for the same order.",
    "The invoice has the wrong amount on it.",
    "I still haven't received my refund.",
    "My card was charged but the payment shows as failed.",
    "Can you send me a corrected invoice please?",
    "You overcharged me for the catering order.",
    "The refund for the cancelled cake never arrived.",
    "Why was I billed for a delivery I collected myself?",
    "There is a double payment on my bank statement.",
    "Please refund the deposit as agreed.",
    "The invoice is missing our VAT number.",
    "I was charged the full price instead of the discount.",
    "My payment was taken twice at the till.",
    "When will the refund reach my account?",
    "The bill added a service charge we did not agree to.",
    "Your invoice shows items we never ordered.",
    "I paid by card but was sent a reminder to pay.",
    "Please cancel the duplicate charge on my card.",
    "The receipt does not match what I paid.",
    "The deposit was never refunded after we cancelled.",
    "I have been billed for the wrong month.",
    "Can I get a refund for the birthday cake order?",
    "The payment link in your email does not work.",
    "We were overcharged on the last three invoices.",
    "The card machine charged me twice.",
    "Please send an invoice with our company name on it.",
    "My refund request has been ignored for two weeks.",
    "The price on the bill was higher than on the menu.",
    "You took the payment but the order was cancelled.",
    "I need a copy of the invoice for my accounts.",
]


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


@pytest.fixture(scope="module")
def first(encoder):
    texts = WAITING[:25] + BREAD[:25] + BILLING[:25]
    return texts, encoder.encode(texts)


@pytest.fixture(scope="module")
def later(encoder):
    texts = WAITING[25:] + BREAD[25:] + BILLING[25:]
    return texts, encoder.encode(texts)


@pytest.fixture(scope="module")
def model(first):
    return discover_themes(*first)


def topic_of(text):
    return "waiting" if text in WAITING else "bread" if text in BREAD else "billing"


def theme_topics(model, texts):
    """Per theme id, how many of its texts come from each topic."""
    found = {t.id: {} for t in model.themes}
    for text, ids in zip(texts, model.assignments, strict=True):
        if ids:
            counts = found[ids[0]]
            counts[topic_of(text)] = counts.get(topic_of(text), 0) + 1
    return found


def theme_for(model, texts, topic):
    found = theme_topics(model, texts)
    return next(t for t in model.themes if max(found[t.id], key=found[t.id].get) == topic)


def test_it_finds_the_three_topics(model, first):
    texts, _ = first
    assert len(model.themes) == 3
    for counts in theme_topics(model, texts).values():
        assert max(counts.values()) >= 0.9 * sum(counts.values())
    assert model.unassigned <= 5
    assert model.reason is None


def test_each_theme_is_named_by_telling_words(model, first):
    texts, _ = first
    telling = {
        "waiting": {"queue", "wait", "waiting", "slow", "ages", "long"},
        "bread": {"bread", "stale", "croissants", "loaf", "pastries", "dry"},
        "billing": {"refund", "invoice", "charged", "payment", "card"},
    }
    for topic, words in telling.items():
        theme = theme_for(model, texts, topic)
        assert set(theme.name.replace("·", " ").split()) & words, theme.name
        assert len(set(theme.phrases) & words) >= 2, theme.phrases


def test_examples_are_texts_of_the_theme(model, first):
    texts, _ = first
    for theme in model.themes:
        assert theme.examples
        assert all(model.assignments[i][0] == theme.id for i in theme.examples)


def test_ids_and_names_stay_when_new_texts_arrive(model, first, later):
    texts = first[0] + later[0]
    again = discover_themes(texts, np.vstack([first[1], later[1]]), previous=model.themes)
    assert {t.id for t in again.themes} == {t.id for t in model.themes}
    assert {t.name for t in again.themes} == {t.name for t in model.themes}
    assert again.vanished == ()
    for topic in ("waiting", "bread", "billing"):
        assert theme_for(again, texts, topic).id == theme_for(model, first[0], topic).id


def test_a_theme_whose_texts_are_gone_is_reported_vanished(model, first):
    texts, vectors = first
    billing = theme_for(model, texts, "billing")
    kept = [i for i, t in enumerate(texts) if topic_of(t) != "billing"]
    again = discover_themes([texts[i] for i in kept], vectors[kept], previous=model.themes)
    assert again.vanished == (billing.id,)
    assert billing.id not in {t.id for t in again.themes}


def test_a_new_queue_complaint_joins_the_waiting_theme(model, first, encoder):
    waiting = theme_for(model, first[0], "waiting")
    new = encoder.encode(["the queue was so long", "my dog likes the park"])
    assert model.assign(new) == [(waiting.id,), ()]
    assert assign(new[0], model.themes) == [(waiting.id,)]


def test_a_text_between_two_themes_gets_both():
    themes = [
        Theme(id="t-a", name="a", phrases=(), centroid=(1.0, 0.0), size=1),
        Theme(id="t-b", name="b", phrases=(), centroid=(0.0, 1.0), size=1),
    ]
    both, one, none = assign([[1.0, 0.98], [1.0, 0.2], [-1.0, -1.0]], themes)
    assert both == ("t-a", "t-b") and one == ("t-a",) and none == ()


def test_the_same_input_gives_the_same_themes(model, first):
    assert discover_themes(*first) == model


def test_too_few_texts_give_no_themes_and_say_why(first):
    texts, vectors = first
    result = discover_themes(texts[:12], vectors[:12])
    assert result.themes == ()
    assert result.reason == "not enough texts: 12 < 30"
    assert result.assignments == ((),) * 12


def test_empty_texts_are_skipped(first):
    texts, vectors = first
    padded = ["", *texts, "   "]
    zeros = np.zeros((1, vectors.shape[1]), dtype=np.float32)
    result = discover_themes(padded, np.vstack([zeros, vectors, zeros]))
    assert result.skipped == 2
    assert result.assignments[0] == () and result.assignments[-1] == ()
    assert len(result.themes) == 3


def test_identical_texts_make_one_theme(encoder):
    texts = ["The queue was far too long."] * 40
    result = discover_themes(texts, encoder.encode(texts))
    [theme] = result.themes
    assert theme.size == 40 and result.unassigned == 0
    assert "queue" in theme.name


def test_phrases_leave_out_numbers_emails_and_stop_words():
    phrases = text_phrases("Order #A7196 for bob@example.com: the waiting time was awful!")
    assert "waiting time" in phrases and "order" in phrases
    assert not any(ch.isdigit() for p in phrases for ch in p)
    assert not any("example" in p or "bob" in p for p in phrases)
    assert "the waiting" not in phrases and "was awful" not in phrases


def test_previous_themes_from_another_encoder_are_refused(first):
    texts, vectors = first
    other = Theme(id="t-x", name="x", phrases=(), centroid=(1.0, 0.0, 0.0), size=1)
    with pytest.raises(ValueError, match="another encoder"):
        discover_themes(texts, vectors, previous=[other])


def resident_bytes():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_hundred_thousand_texts_stay_fast_and_lean():
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((20, 384)).astype(np.float32)
    labels = rng.integers(0, 20, 100_000)
    vectors = rng.standard_normal((100_000, 384), dtype=np.float32)
    for start in range(0, len(vectors), 10_000):  # in slices, to keep the baseline low
        part = vectors[start : start + 10_000]
        part += centres[labels[start : start + 10_000]]
        part /= np.linalg.norm(part, axis=1, keepdims=True)
    texts = [f"topic{c}word and topic{c}other word" for c in labels]

    # Peak memory by polling the resident size: tracemalloc would slow the run four-fold.
    measure = os.path.exists("/proc/self/statm")
    before, peak, done = (resident_bytes() if measure else 0), [0], threading.Event()

    def watch():
        while measure and not done.is_set():
            peak[0] = max(peak[0], resident_bytes())
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    result = discover_themes(texts, vectors)
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()

    assert seconds < 10
    if measure:
        assert peak[0] - before < 0.5 * vectors.nbytes  # chunked: no copy of the embeddings
    assert 15 <= len(result.themes) <= 20
    assert result.unassigned < 1_000
