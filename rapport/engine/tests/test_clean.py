from rapport.engine.text.clean import clean_text


def test_markup_is_removed_and_entities_decoded():
    cleaned = clean_text("<p>Great <b>service</b> &amp; fresh bread</p><script>x()</script>")
    assert cleaned.text == "Great service & fresh bread"
    assert "markup removed" in cleaned.notes


def test_markdown_links_keep_their_words():
    assert clean_text("**Slow** delivery, see [my order](https://example.com/o/1)").text == (
        "Slow delivery, see my order"
    )


def test_control_characters_become_spaces():
    cleaned = clean_text("late\x00 again\x1b[31m")
    assert cleaned.text == "late again [31m"
    assert "control characters removed" in cleaned.notes


def test_emoji_are_spelled_out():
    cleaned = clean_text("👍👍🦄")
    assert cleaned.text == "good good unicorn face"
    assert not cleaned.has_words


def test_lone_surrogates_are_replaced():
    cleaned = clean_text("bad \udcff byte")
    assert cleaned.text == "bad ? byte"
    assert "invalid characters replaced" in cleaned.notes


def test_utf8_read_as_cp1252_is_repaired():
    assert clean_text("cafÃ© donâ€™t").text == "café don’t"


def test_an_empty_text_stays_empty():
    assert clean_text("  \n\t ").text == ""
