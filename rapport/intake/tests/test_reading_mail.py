"""One message's bytes become who, when, what: whatever its encoding or its mail program."""

import datetime as dt

import pytest

from rapport.intake.mail import (
    MailError,
    decode_bytes,
    html_to_text,
    message_ids,
    parse_message,
    read_mail_files,
    trim_reply,
)


def read(mail, name):
    return parse_message(mail(name).read_bytes())


def test_a_quoted_printable_message_is_decoded_and_its_phone_footer_dropped(mail):
    message = read(mail, "quoted_printable.eml")
    assert message.sender.name == "Dana Pétit"
    assert message.sender.email == "dana.petit@example.net"  # lower case, for matching
    assert message.subject == "Gâteau for Saturday"
    assert "gâteau au chocolat" in message.text
    # A soft line break (=\n) in the middle of a UTF-8 sequence still joins the character.
    assert "daughter’s birthday" in message.text
    assert "Crème fraîche on the side if possible — she loves it." in message.text
    assert "iPhone" not in message.text
    assert message.occurred_at == dt.datetime(2025, 2, 4, 7, 13, 58, tzinfo=dt.UTC)
    assert message.message_id == "CAF=qp-1@mail.example.net"


def test_a_base64_latin1_message_with_an_attachment_reads_its_text_part(mail):
    message = read(mail, "latin1_base64.eml")
    assert message.sender.name == "François Müller"
    assert message.subject == "Commande de pâtisseries"
    assert "un éclair au café pour jeudi" in message.text
    assert "passer à 17h" in message.text
    assert "PDF" not in message.text


def test_an_html_only_message_becomes_text_without_styles_or_the_quoted_reply(mail):
    message = read(mail, "html_only.eml")
    text = message.text
    assert text.startswith("Hi Alice,")
    assert "The quote looks good & we'd like to confirm 80 croissants for Friday." in text
    assert "- 40 plain\n- 40 almond" in text
    assert "color: red" not in text and "ignored" not in text
    assert "Here is our quote" not in text and "wrote:" not in text
    assert "<" not in text


def test_a_wrong_charset_label_falls_back_to_what_the_bytes_are(mail):
    message = read(mail, "mislabelled_charset.eml")
    assert "allergic – I want to be sure before the café visit." in message.text
    # "-0000": the time is UTC.
    assert message.occurred_at == dt.datetime(2025, 2, 6, 10, 0, tzinfo=dt.UTC)


def test_decoding_tries_the_label_then_utf8_then_windows_1252():
    assert decode_bytes("é".encode(), "us-ascii") == "é"
    assert decode_bytes("é".encode("cp1252"), "utf-8") == "é"
    assert decode_bytes(b"caf\xe9", None) == "café"
    assert decode_bytes(b"\x81\x8d", "no-such-charset") == "\x81\x8d"


def test_a_reply_keeps_only_what_is_new(mail):
    message = read(mail, "thread_3_reply.eml")
    assert message.text == "Saturday at 10 is perfect, see you then!"
    assert message.references == ["root-1@example.it", "reply-2@alices-bakery.example"]


def test_an_outlook_reply_is_cut_at_its_header_block():
    text = trim_reply(
        "Yes, Thursday works.\n\nMarc\n\nFrom: Alice <a@x.example>\nSent: Tuesday\n"
        "To: Marc\nSubject: Re: order\n\nOld text"
    )
    assert text == "Yes, Thursday works.\n\nMarc"


def test_a_message_that_is_only_a_quote_is_kept_whole():
    assert trim_reply("> just forwarding this\n> to you") == "> just forwarding this\n> to you"


def test_html_entities_and_line_breaks_survive():
    assert html_to_text("<p>Fish &amp; chips<br>at 6&nbsp;pm</p><script>x()</script>") == (
        "Fish & chips\nat 6 pm"
    )


def test_message_ids_are_read_with_or_without_brackets():
    assert message_ids("<a@x> <b@y>\n <c@z>") == ["a@x", "b@y", "c@z"]
    assert message_ids("a@x") == ["a@x"]
    assert message_ids("") == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [("no_date.eml", "no Date header"), ("bad_date.eml", "unreadable Date header")],
)
def test_a_message_without_a_usable_date_is_refused_with_the_reason(mail, name, reason):
    with pytest.raises(MailError, match=reason):
        read(mail, name)


def test_a_date_in_the_future_is_refused():
    raw = (
        b"From: a@example.com\r\nTo: b@example.com\r\nDate: Mon, 01 Jan 2046 10:00:00 +0000\r\n"
        b"Message-ID: <future@x>\r\n\r\nHello"
    )
    with pytest.raises(MailError, match="in the future"):
        parse_message(raw)


def test_an_mbox_is_read_one_message_at_a_time_with_its_number(mail):
    items = read_mail_files([mail("bakery.mbox")])
    first = next(items)
    assert first.where.endswith("bakery.mbox, message 1")
    rest = list(items)
    assert [i.where.rsplit(" ", 1)[-1] for i in rest] == ["2", "3", "4", "5", "6"]
    # The mbox writer's ">From " escape is undone.
    assert b"\nFrom now on I will call you myself" in rest[0].data


def test_a_message_without_a_message_id_still_has_a_stable_identity():
    raw = (
        b"From: Ann <ann@example.com>\r\nTo: shop@example.com\r\n"
        b"Date: Mon, 03 Feb 2025 10:00:00 +0000\r\nSubject: Hi\r\n\r\nHello"
    )
    first, again = parse_message(raw), parse_message(raw)
    other = parse_message(raw.replace(b"Hello", b"Hello again"))
    assert first.message_id == ""
    assert first.identity == again.identity != other.identity
