"""A user's own labelled texts from an uploaded CSV file (a text column and a label column, in any
language), or a clear refusal; and the corpus and word vectors a classifier learns them with.

The file is read as every uploaded table is (``csv_series.read_table``: size, empty and binary
files, encodings); a gzip or zip file is opened with its inflated size bounded before anything is
kept. Labels must name two classes (pos/neg, 1/0, positive/negative, positivo/negativo...); what was
understood is reported. GloVe's coverage of the file's words is measured: English vectors do not
cover Portuguese, so there the embedding is learned from scratch."""

from __future__ import annotations

import gzip
import io
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
import torch

from app.engine.csv_series import MAX_BYTES, read_table
from app.engine.problems import InputError, Problem
from app.engine.sentiment.corpus import ReviewCorpus, make_corpus
from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.tokens import SPECIALS, Vocabulary, tokenize

MIN_PER_CLASS = 5  # so the held-out fifth keeps at least one text of each class
MAX_WORDS = 20_000  # the vocabulary: the file's most frequent words, as the GloVe subset's
GLOVE_ENOUGH = 0.8  # share of the file's tokens GloVe must cover before its vectors are offered
POSITIVE = frozenset(
    {"1", "+1", "pos", "positive", "positivo", "positiva", "p", "yes", "sim", "true", "good", "bom"}
)
NEGATIVE = frozenset(
    {"0", "-1", "neg", "negative", "negativo", "negativa", "n", "no", "nao", "false", "bad", "ruim"}
)
LABEL_NAMES = (
    "label",
    "labels",
    "sentiment",
    "sentimento",
    "polarity",
    "polaridade",
    "class",
    "classe",
    "rotulo",
    "target",
    "y",
)
TEXT_NAMES = (
    "text",
    "texto",
    "review",
    "review_text",
    "sentence",
    "frase",
    "comment",
    "comentario",
)


@dataclass(frozen=True)
class LabelledTexts:
    """What was read, and everything the page says about how."""

    texts: tuple[str, ...]
    labels: np.ndarray  # (texts,) int64, 1 = positive
    text_column: str
    label_column: str
    understood: dict[str, int]  # each label as written in the file -> 0 or 1
    dropped_empty: int  # rows whose text was empty, left out
    dropped_unlabelled: int  # rows with no label, left out


@dataclass(frozen=True)
class Coverage:
    """How much of the file's vocabulary the GloVe subset has a vector for."""

    words: int  # distinct words of the file (punctuation not counted)
    words_covered: int
    tokens: int  # the file's words as they occur (punctuation not counted)
    tokens_covered: int

    @property
    def word_share(self) -> float:
        return self.words_covered / self.words if self.words else 0.0

    @property
    def token_share(self) -> float:
        return self.tokens_covered / self.tokens if self.tokens else 0.0

    @property
    def enough(self) -> bool:
        """GloVe covers the file well enough for its vectors to be worth starting from."""
        return self.token_share >= GLOVE_ENOUGH


@dataclass(frozen=True)
class OwnReviews:
    """A labelled upload made ready to learn: its corpus, vectors over its vocabulary, coverage."""

    name: str  # the file's name
    read: LabelledTexts
    corpus: ReviewCorpus
    vectors: WordVectors  # GloVe's rows where it has the word, zeros elsewhere
    coverage: Coverage


def read_labelled(data: bytes) -> LabelledTexts:
    """The texts and two-class labels of an uploaded file, or InputError saying what to change."""
    names, rows = read_table(inflated(data))
    if len(names) < 2:
        raise _no_label_column(names)
    columns = {
        name: [row[i].strip() if i < len(row) else "" for row in rows]
        for i, name in enumerate(names)
    }
    label_column = _label_column(columns)
    text_column = _text_column(columns, label_column)
    texts, labels = columns[text_column], [_normal(v) for v in columns[label_column]]
    if not any(texts):
        raise InputError(
            Problem(
                "problem.reviews_empty_texts",
                f"every text of column {text_column} is empty",
                {"column": text_column},
            )
        )
    found = sorted({v for v in labels if v})
    unknown = [v for v in found if v not in POSITIVE and v not in NEGATIVE]
    if unknown or not found:
        raise InputError(
            Problem(
                "problem.reviews_labels",
                f"column {label_column} holds {', '.join(found[:6]) or 'nothing'}: two classes "
                "are needed, such as pos/neg, 1/0, positive/negative or positivo/negativo",
                {"column": label_column, "values": ", ".join(v[:20] for v in found[:6]) or "—"},
            )
        )
    understood = {v: int(v in POSITIVE) for v in found}
    if len(set(understood.values())) < 2:
        raise InputError(
            Problem(
                "problem.reviews_one_class",
                f"every label of column {label_column} says {found[0]}: two classes are needed",
                {"column": label_column, "value": found[0][:20]},
            )
        )
    keep = [i for i, (text, label) in enumerate(zip(texts, labels, strict=True)) if text and label]
    kept = np.array([understood[labels[i]] for i in keep], dtype=np.int64)
    counts = np.bincount(kept, minlength=2)
    if counts.min() < MIN_PER_CLASS:
        raise InputError(
            Problem(
                "problem.reviews_few",
                f"each class needs at least {MIN_PER_CLASS} texts; found {counts[0]} negative "
                f"and {counts[1]} positive",
                {"least": MIN_PER_CLASS, "negative": int(counts[0]), "positive": int(counts[1])},
            )
        )
    return LabelledTexts(
        texts=tuple(texts[i] for i in keep),
        labels=kept,
        text_column=text_column,
        label_column=label_column,
        understood=understood,
        dropped_empty=sum(1 for text in texts if not text),
        dropped_unlabelled=sum(
            1 for text, label in zip(texts, labels, strict=True) if text and not label
        ),
    )


def own_reviews(name: str, read: LabelledTexts, glove: WordVectors) -> OwnReviews:
    """A vocabulary of the file's own words, GloVe's coverage of it, and the split corpus."""
    counts = Counter(token for text in read.texts for token in tokenize(text))
    words = tuple(w for w, _ in counts.most_common(MAX_WORDS) if w not in SPECIALS)
    vocab = Vocabulary(words)
    covered = [w for w in words if w in glove.vocab]
    coverage = Coverage(
        words=sum(1 for w in words if _is_word(w)),
        words_covered=sum(1 for w in covered if _is_word(w)),
        tokens=sum(counts[w] for w in words if _is_word(w)),
        tokens_covered=sum(counts[w] for w in covered if _is_word(w)),
    )
    vectors = torch.zeros(vocab.size, glove.dim)
    for word in covered:
        vectors[vocab.id(word)] = glove.vectors[glove.vocab.id(word)]
    corpus = make_corpus("own", list(read.texts), read.labels, vocab)
    return OwnReviews(name, read, corpus, WordVectors(vocab, vectors), coverage)


def inflated(data: bytes, limit: int = MAX_BYTES) -> bytes:
    """The file itself, or the one file inside a gzip or zip archive, read no further than
    ``limit`` bytes: an archive that would inflate beyond it is refused before it fills memory."""
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as file:
                inner = file.read(limit + 1)
        except (OSError, EOFError, zlib.error):
            raise InputError(Problem("problem.csv_binary", "this is not a text file")) from None
    elif data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise InputError(Problem("problem.csv_binary", "this is not a text file"))
                with archive.open(members[0]) as file:
                    inner = file.read(limit + 1)
        # RuntimeError: an encrypted member; zlib.error: damaged data.
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            zlib.error,
        ):
            raise InputError(Problem("problem.csv_binary", "this is not a text file")) from None
    else:
        return data
    if len(inner) > limit:
        raise InputError(
            Problem(
                "problem.reviews_inflates",
                f"the compressed file would inflate beyond {limit // 2**20} MB",
                {"limit_mb": limit // 2**20},
            )
        )
    return inner


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _normal(value: str) -> str:
    """A label as compared: lower case, no accents, no quotes, ``1.0`` read as ``1``."""
    text = unicodedata.normalize("NFKD", value.strip().strip("\"'").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text[:-2] if text.endswith(".0") and text[:-2].lstrip("+-").isdigit() else text


def _label_column(columns: dict[str, list[str]]) -> str:
    """The column named like a label, or else the one whose values are all known labels."""
    for name in columns:
        if _normal(name) in LABEL_NAMES:
            return name
    known = POSITIVE | NEGATIVE
    for name, values in columns.items():
        present = {_normal(v) for v in values if v}
        if present and present <= known:
            return name
    raise _no_label_column(list(columns))


def _text_column(columns: dict[str, list[str]], label_column: str) -> str:
    """The column named like a text, or else the one (not the labels) with the longest cells."""
    others = [name for name in columns if name != label_column]
    for name in others:
        if _normal(name) in TEXT_NAMES:
            return name
    return max(others, key=lambda name: sum(len(v) for v in columns[name]))


def _no_label_column(names: list[str]) -> InputError:
    shown = ", ".join(names[:6])
    return InputError(
        Problem(
            "problem.reviews_no_label",
            f"no label column among {shown}: add one named label (pos/neg, 1/0...)",
            {"columns": shown[:120]},
        )
    )
