"""Bad input gives a result or a clear error for that text alone, never a failed batch."""

import pytest

from rapport.engine.text import analysis, analyze, analyze_iter
from rapport.engine.text.analysis import MAX_CHARS
from rapport.engine.text.model import TextModel
from rapport.engine.text.runtime import MAX_WINDOWS


def test_an_empty_text_is_an_error_on_that_text_only():
    empty, blank, good = analyze(["", "  \n\t ", "The bread was lovely"])
    assert empty.error == "empty text" and blank.error == "empty text"
    assert good.ok and good.sentiment is not None


def test_what_is_not_text_is_an_error_on_that_item_only():
    none, number, good = analyze([None, 42, "Fine, thanks"])  # type: ignore[list-item]
    assert none.error == "not a text: NoneType"
    assert number.error == "not a text: int"
    assert good.ok


def test_bytes_are_decoded():
    [result] = analyze([b"Lovely bread, thank you"])  # type: ignore[list-item]
    assert result.ok and "decoded from bytes" in result.notes


def test_emoji_only_is_read():
    [result] = analyze(["😡😡😡"])
    assert result.ok and result.language_supported
    assert "no words, only symbols" in result.notes
    assert result.sentiment.label == "negative"


def test_html_and_control_characters_are_cleaned_before_reading():
    [html, controls] = analyze(
        ["<div><p>The staff were <b>wonderful</b></p></div>", "late\x00 again\x1b\x07 !!"]
    )
    assert html.ok and "markup removed" in html.notes
    assert html.sentiment.label == "positive"
    assert controls.ok and "control characters removed" in controls.notes


def test_broken_encodings_still_give_a_result():
    [surrogates, mojibake] = analyze(["bad \udcff byte, awful", "cafÃ© was nice"])
    assert surrogates.ok and "invalid characters replaced" in surrogates.notes
    assert mojibake.ok


def test_other_languages_are_marked_unsupported_not_misjudged():
    [french] = analyze(["Le pain était rassis et le service était très lent."])
    assert french.language == "fr"
    assert not french.language_supported
    assert french.sentiment is None and french.emotions == {}
    assert french.ok


def test_a_long_text_is_read_in_windows_spread_to_its_end():
    filler = "We came in on Tuesday morning and looked around the shop for a while. "
    text = filler * 1300 + "The manager shouted at my son and I am very angry about it."
    [calm] = analyze([filler * 1300])
    [result] = analyze([text])
    assert result.ok and not any("characters were read" in n for n in result.notes)
    # ~94 KB: more windows of 128 tokens than are read, so they are spread evenly, the last
    # one included: the anger at the very end still counts.
    assert result.windows == MAX_WINDOWS
    assert result.emotion_groups["anger"] > calm.emotion_groups.get("anger", 0)


def test_a_megabyte_is_read_from_its_start_and_says_so():
    [result] = analyze(["Where is my order? " * 60_000])
    assert result.ok and result.windows == MAX_WINDOWS
    assert f"only the first {MAX_CHARS:,} of its 1,140,000 characters were read" in result.notes
    assert len(result.redacted) <= MAX_CHARS


def test_a_single_string_is_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TypeError):
        analyze("hello")  # type: ignore[arg-type]


def test_other_languages_still_get_their_personal_data_found():
    [french] = analyze(["Le pain était rassis. Écrivez-moi à marie.dupont@example.com"])
    assert not french.language_supported
    assert french.needs_human is None and french.toxicity is None
    # The name finder is English-only (it may take a French word for a name); e-mail
    # addresses and phone numbers are found in any language.
    assert "email" in [s.kind for s in french.pii]
    assert french.redacted.endswith(" à [EMAIL]")


def test_what_cannot_be_read_gets_no_redacted_text():
    empty, none = analyze(["   ", None])  # type: ignore[list-item]
    assert empty.redacted == "   " and empty.pii == ()
    assert none.redacted is None and none.pii == ()


def test_a_pii_failure_is_a_note_on_that_text_only(monkeypatch):
    from rapport.engine.text import analysis

    real = analysis.find_pii

    def find_pii(texts):
        if any("boom" in t for t in texts):
            raise RuntimeError("boom")
        return real(texts)

    monkeypatch.setattr(analysis, "find_pii", find_pii)
    boom, good = analyze(["boom, write to a@example.com", "Write to ines.home@example.com"])
    assert boom.ok and boom.sentiment is not None
    assert boom.redacted is None and "PII detection failed: boom" in boom.notes
    assert good.redacted == "Write to [EMAIL]"


def test_a_toxicity_or_needs_human_failure_is_a_note_on_that_text_only(monkeypatch):
    from rapport.engine.text import analysis

    real_toxicity, real_assess = analysis.score_toxicity, analysis._needs_human.assess

    def score_toxicity(texts, emotions=None):
        if any("boom" in t for t in texts):
            raise RuntimeError("boom")
        return real_toxicity(texts, emotions)

    def assess(text, **options):
        if "bang" in text:
            raise RuntimeError("bang")
        return real_assess(text, **options)

    monkeypatch.setattr(analysis, "score_toxicity", score_toxicity)
    monkeypatch.setattr(analysis._needs_human, "assess", assess)
    boom, bang, good = analyze(["boom", "bang", "Lovely bread"], pii=False)
    assert boom.ok and boom.toxicity is None and "toxicity failed: boom" in boom.notes
    assert boom.needs_human is not None
    assert bang.ok and bang.needs_human is None and "need-for-a-human failed: bang" in bang.notes
    assert good.toxicity is not None and good.needs_human is not None and good.notes == ()


class _FailsOnExplode(TextModel):
    """The shipped model, except that any batch holding "explode" fails."""

    def predict(self, texts):
        if any("explode" in text for text in texts):
            raise RuntimeError("cannot read this")
        return super().predict(texts)


def test_a_model_failure_is_an_error_on_that_text_only():
    model = _FailsOnExplode()
    bad, good = analyze(["please explode", "Lovely bread, thank you"], model=model, pii=False)
    assert bad.error == "the model failed on this text: cannot read this"
    assert good.ok and good.sentiment.label == "positive"
    [alone] = analyze(["explode"], model=model, pii=False)
    assert alone.error == "the model failed on this text: cannot read this"


def test_results_keep_their_order_across_slices(monkeypatch):
    monkeypatch.setattr(analysis, "SLICE", 2)
    texts = [
        "Thank you so much, wonderful service!",
        None,
        "This is terrible, I am furious with you",
        "",
        "Thank you so much, wonderful service!",
        "My mum is in hospital and the order never came",
        "explode",
    ]
    results = list(analyze_iter(texts, model=_FailsOnExplode(), prior_contacts=[0] * 5 + [3, 0]))
    assert [r.error for r in results[:6]] == [
        None, "not a text: NoneType", None, "empty text", None, None
    ]  # fmt: skip
    assert results[6].error == "the model failed on this text: cannot read this"
    labels = [results[i].sentiment.label for i in (0, 2, 4)]
    assert labels == ["positive", "negative", "positive"]
    assert "repeated_contact" in {r.code for r in results[5].needs_human.reasons}
    assert "repeated_contact" not in {r.code for r in results[0].needs_human.reasons}
