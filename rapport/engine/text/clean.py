"""Turning whatever arrives into text the models can read.

The same function runs at training and at analysis time, so the models see text prepared
the same way. It never raises on a string: markup and control characters are removed,
emoji are spelled out, and broken encodings are repaired as far as cheaply possible.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|</?[a-zA-Z][^<>]{0,500}>", re.S | re.I)
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_MD_MARKS = re.compile(r"(^|\s)#{1,6}\s+|(\*\*|__|~~|`{1,3})")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Typical UTF-8 read as cp1252/Latin-1 ("cafÃ©", "donâ€™t").
_MOJIBAKE = re.compile(r"[ÂÃâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


@dataclass
class Cleaned:
    text: str
    notes: list[str] = field(default_factory=list)
    # True when letters or digits remain: there is something to read besides emoji/symbols.
    has_words: bool = False


def _fix_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


# The commonest feedback emoji, in words the model knows; Unicode names ("pouting face")
# carry little feeling for a model trained on words. Others fall back to their names.
EMOJI_WORDS = {
    "😡": "so angry", "😠": "so angry", "🤬": "so angry", "👿": "so angry", "😤": "annoyed",
    "🙄": "annoyed", "😒": "annoyed", "👎": "bad", "💩": "awful", "🤮": "disgusting",
    "🤢": "disgusting", "😢": "sad", "😭": "very sad", "😞": "disappointed",
    "😔": "disappointed", "😕": "confused", "🤔": "wondering", "😱": "shocked",
    "😨": "scared", "😟": "worried", "😬": "awkward", "😮": "surprised", "😲": "surprised",
    "👍": "good", "👌": "fine", "🙏": "thank you", "👏": "well done", "😀": "happy",
    "😃": "happy", "😄": "happy", "😁": "happy", "😊": "happy", "🙂": "glad",
    "😂": "funny", "🤣": "very funny", "😍": "love it", "🥰": "love it", "😘": "love",
    "❤": "love", "💕": "love", "💖": "love", "😋": "delicious", "🎉": "celebrate",
    "🥳": "celebrate", "⭐": "star", "🌟": "great", "🔥": "amazing", "💯": "perfect",
}  # fmt: skip


def _spell_emoji(char: str) -> str:
    # "👍" → " good ": the uncased vocabulary has no emoji, so the model would otherwise
    # see [UNK] where a customer put their whole verdict.
    if char in EMOJI_WORDS:
        return f" {EMOJI_WORDS[char]} "
    try:
        name = unicodedata.name(char)
    except ValueError:
        return " "
    return f" {name.lower()} "


def clean_text(text: str) -> Cleaned:
    """Prepare one text for the models; see the module docstring."""
    notes: list[str] = []
    # Lone surrogates (from bytes decoded with surrogateescape) cannot be encoded.
    fixed = text.encode("utf-8", "replace").decode("utf-8")
    if fixed != text:
        notes.append("invalid characters replaced")
    text = _fix_mojibake(fixed)
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(" ", text)
        notes.append("markup removed")
    if "&" in text:
        text = html.unescape(text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(r"\1", text)
    text = _URL.sub(" link ", text)
    out = []
    controls = has_words = False
    for char in text:
        if char in "\u200d\ufe0e\ufe0f":
            continue  # emoji joiners and variation selectors
        cat = unicodedata.category(char)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            if char in "\n\t":
                out.append(char)
            else:
                controls = True
                out.append(" ")
        elif cat == "So":
            out.append(_spell_emoji(char))
        else:
            has_words = has_words or char.isalnum()
            out.append(char)
    if controls:
        notes.append("control characters removed")
    text = "".join(out)
    text = _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()
    return Cleaned(text=text, notes=notes, has_words=has_words)
