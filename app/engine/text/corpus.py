"""Texts to learn from, their vocabulary, and the checks that refuse text a model cannot use.

Three kinds of corpus, none needing a download: Python source from the standard library (every Python
install has it), toy code the project generates itself, and the user's own pasted or uploaded text.
"""

from __future__ import annotations

import random
import sysconfig
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from app.engine.problems import InputError, Problem

PLACEHOLDER = "\ufffd"  # stands for every character too rare to get its own index
MAX_VOCAB = 128  # a pasted novel in any script stays a small softmax
HELD_OUT = 0.1  # the last tenth of every corpus is never trained on
MAX_BYTES = 2 * 1024 * 1024
MIN_CHARS = 2000
CORPORA = ("python", "toy", "own")

# A fixed, ordered list of ASCII-only modules (~1.6 MB): the same corpus on every Python 3.11 install.
STDLIB_MODULES = (
    "abc.py",
    "argparse.py",
    "ast.py",
    "bisect.py",
    "calendar.py",
    "collections/__init__.py",
    "configparser.py",
    "contextlib.py",
    "copy.py",
    "csv.py",
    "dataclasses.py",
    "datetime.py",
    "difflib.py",
    "enum.py",
    "fnmatch.py",
    "gettext.py",
    "glob.py",
    "inspect.py",
    "json/decoder.py",
    "json/encoder.py",
    "logging/__init__.py",
    "numbers.py",
    "operator.py",
    "os.py",
    "pathlib.py",
    "pprint.py",
    "queue.py",
    "random.py",
    "shutil.py",
    "string.py",
    "subprocess.py",
    "tarfile.py",
    "textwrap.py",
    "threading.py",
    "tokenize.py",
    "typing.py",
)


@dataclass(frozen=True)
class Vocabulary:
    """Index -> character. Characters outside it read as PLACEHOLDER (always the last index)."""

    chars: str

    @classmethod
    def fit(cls, text: str, max_size: int = MAX_VOCAB) -> Vocabulary:
        """The most frequent characters (at most ``max_size - 1``), sorted, plus PLACEHOLDER."""
        counts = Counter(text)
        counts.pop(PLACEHOLDER, None)
        kept = [c for c, _ in counts.most_common(max_size - 1)]
        return cls("".join(sorted(kept)) + PLACEHOLDER)

    @property
    def size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        index = self._index()
        unknown = len(self.chars) - 1
        return np.fromiter((index.get(c, unknown) for c in text), dtype=np.int64, count=len(text))

    def decode(self, ids: np.ndarray | list[int]) -> str:
        return "".join(self.chars[int(i)] for i in ids)

    def _index(self) -> dict[str, int]:
        return _index_of(self.chars)


@dataclass(frozen=True)
class Corpus:
    """A text as indices, split once: train on the first 90 %, measure on the rest."""

    name: str
    text: str
    vocab: Vocabulary
    ids: np.ndarray  # (chars,) int64
    builtin: bool = False  # made by builtin_corpus: the same in every process

    def __reduce_ex__(self, protocol: int) -> object:
        # A built-in corpus pickles as its name (the Python corpus is 14 MB): a run travelling to
        # the training worker (app/engine/slice_worker.py) finds it there, and back here the very
        # object the sessions share.
        if self.builtin:
            return builtin_corpus, (self.name,)
        return super().__reduce_ex__(protocol)

    @property
    def split(self) -> int:
        return int(len(self.ids) * (1 - HELD_OUT))

    @property
    def train_ids(self) -> np.ndarray:
        return self.ids[: self.split]

    @property
    def val_ids(self) -> np.ndarray:
        return self.ids[self.split :]

    @property
    def val_text(self) -> str:
        return self.text[self.split :]


def make_corpus(name: str, text: str, vocab: Vocabulary | None = None) -> Corpus:
    """A corpus from clean text; the vocabulary is fitted on the training part unless given."""
    text = normalise(text)
    vocab = vocab or Vocabulary.fit(text[: int(len(text) * (1 - HELD_OUT))])
    return Corpus(name, text, vocab, vocab.encode(text))


@cache
def builtin_corpus(name: str) -> Corpus:
    """One of the corpora the app carries (not "own", which comes from the user), built once per
    process and shared: read-only."""
    builders: dict[str, Callable[[], str]] = {"python": python_source, "toy": toy_code}
    if name not in builders:
        raise InputError(Problem("problem.text_corpus", f"unknown corpus {name!r}", {"name": name}))
    return replace(make_corpus(name, builders[name]()), builtin=True)


def own_text(data: bytes | str) -> str:
    """The user's text, checked: refused with a Problem when empty, too big, binary or too short."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        raise InputError(Problem("problem.text_empty", "the text is empty"))
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // 2**20
        raise InputError(
            Problem("problem.text_size", f"the text is over {limit} MB", {"limit_mb": limit})
        )
    if b"\x00" in data:
        raise InputError(Problem("problem.text_binary", "this is not a text file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older Windows and Brazilian files; binary is caught below
    text = normalise(text)
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\t\f")
    if control > 0.01 * len(text):
        raise InputError(Problem("problem.text_binary", "this is not a text file"))
    if len(text) < MIN_CHARS:
        raise InputError(
            Problem(
                "problem.text_short",
                f"the text has {len(text)} characters; at least {MIN_CHARS} are needed",
                {"count": len(text), "minimum": MIN_CHARS},
            )
        )
    if len(set(text)) < 2:
        raise InputError(Problem("problem.text_vocab", "the text repeats a single character"))
    return text


def normalise(text: str) -> str:
    """One newline convention, so Windows and Unix files give the same vocabulary."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@cache
def python_source() -> str:
    """The fixed list of standard-library modules, concatenated in order (read once per process)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    parts = []
    for module in STDLIB_MODULES:
        path = root / module
        if path.exists():  # a trimmed install loses a module, not the corpus
            parts.append(f"# {module}\n" + path.read_text(encoding="utf-8", errors="replace"))
    return "\n\n".join(parts)


@cache
def toy_code(lines: int = 6000, seed: int = 0) -> str:
    """Made-up code: assignments, calls, nested brackets, quoted words and indented blocks.

    Simple enough that a small model learns it live, and rich in exactly the structure (quotes,
    bracket depth, line position, indentation) that the unit search looks for."""
    rng = random.Random(seed)
    out: list[str] = []
    indent, opened = 0, False
    for _ in range(lines):
        kind = rng.random()
        if kind < 0.12 and indent < 3:
            out.append("    " * indent + f"if {_expr(rng, 1)}:")
            indent, opened = indent + 1, True
            continue
        if indent and kind < 0.3 and not opened:  # a block holds at least one line
            indent -= 1
        opened = False
        body = _call(rng, 0) if kind < 0.55 else f"{rng.choice(_NAMES)} = {_expr(rng, 0)}"
        out.append("    " * indent + body)
    return "\n".join(out) + "\n"


_NAMES = ("total", "count", "name", "items", "width", "size", "value", "result", "left", "right")
_FUNCS = ("print", "scale", "join", "pick", "shift", "merge", "round", "check")
_WORDS = ("the cat", "a red box", "hello", "one more", "yes", "go on", "tea for two", "blue sky")


def _expr(rng: random.Random, depth: int) -> str:
    kind = rng.random()
    if depth > 2 or kind < 0.3:
        return rng.choice(_NAMES) if rng.random() < 0.6 else str(rng.randint(0, 99))
    if kind < 0.5:
        quote = '"' if rng.random() < 0.7 else "'"
        return f"{quote}{rng.choice(_WORDS)}{quote}"
    if kind < 0.65:
        return f"({_expr(rng, depth + 1)} {rng.choice('+-*')} {_expr(rng, depth + 1)})"
    if kind < 0.8:
        return "[" + ", ".join(_expr(rng, depth + 1) for _ in range(rng.randint(1, 3))) + "]"
    return _call(rng, depth + 1)


def _call(rng: random.Random, depth: int) -> str:
    args = ", ".join(_expr(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return f"{rng.choice(_FUNCS)}({args})"


@cache
def _index_of(chars: str) -> dict[str, int]:
    return {c: i for i, c in enumerate(chars)}
