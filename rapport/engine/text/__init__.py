"""Text understanding, offline: language, sentiment and emotions for any number of texts.

    >>> from rapport.engine.text import analyze
    >>> [a] = analyze(["Thanks a lot for charging me twice"])
    >>> a.sentiment.label
    'negative'

Models load on first use (nothing is downloaded: the weights ship inside the package and
its dependencies), so importing this module is cheap. See docs/text.md.
"""

from .analysis import Sentiment, TextAnalysis, analyze, analyze_iter
from .emotions import EMOTION_GROUPS, EMOTIONS, GROUP_NAMES, SENTIMENTS

__all__ = [
    "EMOTIONS",
    "EMOTION_GROUPS",
    "GROUP_NAMES",
    "SENTIMENTS",
    "Sentiment",
    "TextAnalysis",
    "analyze",
    "analyze_iter",
]
