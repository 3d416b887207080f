"""Which language a text is in, so that the English-only models never judge other languages.

py3langid (a 4.5 MB naive-Bayes model, 97 languages) decides; short texts are ambiguous
("ok thanks", "lol"), so another language is only declared when it clearly beats English.
"""

import threading

SUPPORTED = frozenset({"en"})
UNDETERMINED = "und"

_identifier = None
_lock = threading.Lock()


def _load():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of ``text`` and the detector's probability for it.

    Returns ``("und", 0.0)`` when there are too few letters to tell. English wins unless
    another language has at least 0.3 probability and three times English's.
    """
    letters = sum(map(str.isalpha, text))
    if letters < 3:
        return UNDETERMINED, 0.0
    ranked = _load().rank(text)
    top, p_top = ranked[0]
    p_en = next((p for lang, p in ranked if lang == "en"), 0.0)
    if top == "en":
        return "en", float(p_top)
    if p_top >= 0.3 and p_top >= 3 * p_en or not _mostly_latin(text):
        return top, float(p_top)
    return "en", float(p_en)


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum(c < "\u0250" for c in letters) >= 0.8 * len(letters)
