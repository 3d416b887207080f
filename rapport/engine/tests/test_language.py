from rapport.engine.text.language import detect_language


def test_english_is_english():
    assert detect_language("The croissants were stale again this morning")[0] == "en"


def test_short_ambiguous_english_stays_english():
    for text in ("ok thanks", "lol", "great!!", "Please update my address"):
        assert detect_language(text)[0] == "en", text


def test_other_languages_are_recognised():
    assert detect_language("Le pain était rassis et le service très lent")[0] == "fr"
    assert detect_language("こんにちは、パンが美味しい")[0] == "ja"


def test_too_few_letters_is_undetermined():
    assert detect_language("12 !!")[0] == "und"
