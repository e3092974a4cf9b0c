"""Text as words: lower-case word tokens (any alphabet, so Portuguese keeps its accents), the
canonical text those tokens spell, and a vocabulary of the most frequent ones plus ``<unk>``.

The vocabulary is the sentiment page's (``<pad>`` = 0, ``<unk>`` = 1): a language model never
predicts ``<pad>`` (sampling masks it), and sharing the class lets GloVe's vectors line up with ours.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from app.engine.sentiment.tokens import PAD, SPECIALS, UNK, Vocabulary

__all__ = [
    "PAD",
    "UNK",
    "Vocabulary",
    "canonical",
    "coverage",
    "fit_vocabulary",
    "readable",
    "tokenize",
]

# As the sentiment tokeniser ("n't" and clitics are tokens of their own), but letters and digits of
# any alphabet, and every other visible character (brackets, "=", "_") its own token: code reads too.
_TOKEN = re.compile(r"n't|'[^\W\d_]+|[^\W_]+|[^\w\s]|_")
_NO_SPACE_BEFORE = frozenset(".,!?;:)]}") | {"n't"}
_NO_SPACE_AFTER = frozenset("([{")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; whitespace only separates them."""
    return _TOKEN.findall(text.lower().replace("n't", " n't"))


def canonical(tokens: Sequence[str]) -> str:
    """The text the word level sees: tokens separated by single spaces. Both levels are measured on
    this text, so their bits per character count the same characters."""
    return " ".join(tokens)


def readable(tokens: Sequence[str]) -> str:
    """Tokens as a reader expects them: no space before a full stop or after an opening bracket."""
    out: list[str] = []
    previous = ""
    for token in tokens:
        glue = not out or token in _NO_SPACE_BEFORE or token.startswith("'")
        glue = glue or previous in _NO_SPACE_AFTER
        out.append(token if glue else " " + token)
        previous = token
    return "".join(out)


def fit_vocabulary(tokens: Sequence[str], size: int) -> Vocabulary:
    """The ``size - 2`` most frequent tokens (ties in order of first appearance), after the specials."""
    counts = Counter(tokens)
    for special in SPECIALS:
        counts.pop(special, None)
    return Vocabulary(tuple(word for word, _ in counts.most_common(max(size - len(SPECIALS), 0))))


def coverage(vocab: Vocabulary, tokens: Sequence[str]) -> float:
    """The share of ``tokens`` the vocabulary knows (the rest read as ``<unk>``)."""
    if not tokens:
        return 0.0
    return sum(1 for token in tokens if token in vocab) / len(tokens)
