import numpy as np
import pytest

from rapport.engine.text.encoder import Encoder


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


def test_similar_complaints_are_closer_than_unrelated_praise(encoder):
    stale, old, staff = encoder.encode(
        ["the bread was stale", "the croissants were old", "I love your staff"]
    )
    assert stale @ old > stale @ staff


def test_embeddings_are_unit_vectors(encoder):
    vectors = encoder.encode(["hello", "a longer sentence about a late delivery", ""])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_a_long_text_is_read_whole_not_cut(encoder):
    # The complaint sits far past the first window; a truncating encoder would not see it.
    filler = "We visited the shop on a sunny day and looked at the shelves. " * 60
    long_text = filler + "The bread was stale and mouldy."
    short_filler = encoder.encode([filler])[0]
    whole = encoder.encode([long_text])[0]
    assert not np.allclose(whole, short_filler, atol=1e-3)


def test_no_texts_give_an_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, 384)
