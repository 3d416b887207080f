"""Text understanding, offline: language, sentiment, emotions, need for a human, toxicity
and personal data, for any number of texts.

    >>> from rapport.engine.text import analyze
    >>> [a] = analyze(["Thanks a lot for charging me twice"])
    >>> a.needs_human.flagged, a.needs_human.reasons[0].code
    (True, 'money')

Models load on first use (nothing is downloaded: the weights ship inside the package and
its dependencies), so importing this module is cheap. See docs/text.md.
"""

from .analysis import MODES, Sentiment, TextAnalysis, analyze, analyze_iter
from .emotions import EMOTION_GROUPS, EMOTIONS, GROUP_NAMES, SENTIMENTS
from .needs_human import REASONS, NeedsHuman, Reason
from .pii import PiiSpan
from .toxicity import Toxicity

__all__ = [
    "EMOTIONS",
    "EMOTION_GROUPS",
    "GROUP_NAMES",
    "MODES",
    "REASONS",
    "SENTIMENTS",
    "NeedsHuman",
    "PiiSpan",
    "Reason",
    "Sentiment",
    "TextAnalysis",
    "Toxicity",
    "analyze",
    "analyze_iter",
]
