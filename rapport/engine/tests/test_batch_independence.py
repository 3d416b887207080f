"""A text reads the same alone as among any other texts: the model quantises each token on
its own scale and batches only windows of one length, so neither neighbours nor padding
reach a reading (a stored reading and its "why" can be reproduced from the text alone)."""

import random

import numpy as np
import pytest

from rapport.engine.text import analyze
from rapport.engine.text.analysis import default_model
from rapport.engine.text.model import TextModel

TEXTS = [
    "The croissants were stale again and nobody answered my email.",
    "Lovely service from Priya this morning, thank you!",
    "Thanks a lot for charging me twice",
    "Can I order a birthday cake for Saturday?",
    "I want to speak to a manager about the refund, this is the third time.",
    "ok",
    "WATER IS COMING THROUGH THE CEILING!!!",
    "Great bread. Rude staff.",
    "Good bread. Rude staff.",  # the same length as the one before: read in one batch
    "Where is my order? I paid on Monday and it still has not shipped, it is now Friday.",
    "not bad",
    "meh",
    "The delivery was late, " * 60 + "and cold.",  # several windows
]


def alone(model: TextModel) -> list:
    return [model.predict([text]) for text in TEXTS]


@pytest.mark.parametrize("batch_size", [64, 3])
def test_each_text_reads_the_same_alone_as_among_others_in_any_order(batch_size):
    model = TextModel(batch_size=batch_size)
    by_itself = alone(TextModel())
    for seed in range(3):
        order = list(range(len(TEXTS)))
        random.Random(seed).shuffle(order)
        # the texts among each other, in another order, with a different crowd each time
        crowd = [TEXTS[i] for i in order] + [f"filler number {k}, a calm note" for k in range(seed)]
        together = model.predict(crowd)
        for row, i in enumerate(order):
            assert np.array_equal(together.emotions[row], by_itself[i].emotions[0]), TEXTS[i]
            assert np.array_equal(together.sentiment[row], by_itself[i].sentiment[0]), TEXTS[i]
            assert together.windows[row] == by_itself[i].windows[0]


def test_analyze_gives_a_text_the_same_reading_alone_and_in_a_slice():
    readings = analyze(TEXTS, pii=False)
    for text, reading in zip(TEXTS, readings, strict=True):
        assert analyze([text], pii=False)[0].to_dict() == reading.to_dict(), text
    assert default_model().config["activations"] == "per-token"
