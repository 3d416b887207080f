"""``analyze`` reads one slice with the model in a second thread while it finds PII and
prepares the next: each text's reading must be exactly what the same steps give one after
another, across many slices, with the awkward inputs in among them, in order."""

import pytest

from rapport.engine.text import analysis

TEXTS = [
    "The croissants were stale again and nobody answered my email. Call me on 07700 900123.",
    "Lovely service from Priya this morning, thank you!",
    "",
    None,
    "   ",
    "Can I order a birthday cake for Saturday? My address is 7 Orchard Road.",
    b"caf\xc3\xa9 closed at 3pm, annoying",
    "I want to speak to a manager about the refund, this is the third time.",
    "Bonjour, je voudrais annuler ma commande.",
    "ok",
    "Dear Mr Okafor, the invoice to mail@example.co.uk is wrong \ud800 thanks",
] * 3


def one_after_another(texts, model, pii: bool) -> list:
    """The same steps in turn, slice by slice: what the pipeline must equal."""
    results = []
    for start in range(0, len(texts), analysis.SLICE):
        batch = texts[start : start + analysis.SLICE]
        piece = analysis._prepare_slice(batch, [None] * len(batch))
        outputs = (
            analysis._predict(model, [text for _, text, _ in piece.todo])
            if model is not None and piece.todo
            else None
        )
        found = analysis._find_pii(piece.originals) if pii else None
        results += analysis._finish_slice(piece, model, outputs, found)
    return results


@pytest.mark.parametrize("mode", ["full", "lexicon"])
@pytest.mark.parametrize("pii", [True, False])
def test_the_pipeline_reads_each_text_as_the_steps_in_turn_do(monkeypatch, mode, pii):
    monkeypatch.setattr(analysis, "SLICE", 4)  # eight or nine slices of the sample
    model = analysis.default_model() if mode == "full" else None
    piped = analysis.analyze(TEXTS, mode=mode, pii=pii)
    assert [r.to_dict() for r in piped] == [
        r.to_dict() for r in one_after_another(TEXTS, model, pii)
    ]
    assert len(piped) == len(TEXTS)


def test_a_model_that_fails_raises_as_before_and_leaves_no_thread_behind(monkeypatch):
    import threading

    monkeypatch.setattr(analysis, "SLICE", 4)

    def broken(model, texts):
        raise RuntimeError("the model fell over")

    monkeypatch.setattr(analysis, "_predict", broken)
    before = threading.active_count()
    with pytest.raises(RuntimeError, match="fell over"):
        analysis.analyze(TEXTS, mode="full")
    assert threading.active_count() == before
