"""Writing with a word model: greedy, or drawn at a temperature from all words, the top k, or the
nucleus (the fewest words whose probabilities add up to p)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from app.engine.problems import InputError, Problem
from app.engine.ranges import choice_problems, range_problems
from app.engine.words.tokens import PAD, UNK, Vocabulary, tokenize
from models.sequence import SequenceModel

DECODINGS = ("sampled", "top_k", "nucleus", "greedy")
SAMPLE_RANGES = {
    "length": (1, 500),
    "temperature": (0.0001, 5.0),
    "top_k": (1, 1000),
    "top_p": (0.01, 1.0),
    "seed": (0, 2**31 - 1),
}
MAX_PROMPT = 500  # characters


@dataclass(frozen=True)
class WordSampleConfig:
    prompt: str = "the film is"
    length: int = 40  # words
    temperature: float = 0.8
    decoding: str = "nucleus"
    top_k: int = 20
    top_p: float = 0.9
    allow_unknown: bool = False  # <unk> is a real prediction (held-out scores count it) but no word
    seed: int = 0

    def check(self) -> WordSampleConfig:
        problems = choice_problems(self, {"decoding": DECODINGS})
        problems += range_problems(self, SAMPLE_RANGES)
        if len(self.prompt) > MAX_PROMPT:
            problems.append(
                Problem(
                    "problem.text_prompt",
                    f"the prompt is longer than {MAX_PROMPT} characters",
                    {"limit": MAX_PROMPT},
                )
            )
        if problems:
            raise InputError(problems)
        return self


@dataclass(frozen=True)
class WordSample:
    prompt: tuple[str, ...]  # the prompt's tokens as the model read them (unknowns included)
    words: tuple[str, ...]  # what the model wrote after them
    config: WordSampleConfig


def generate(model: SequenceModel, vocab: Vocabulary, config: WordSampleConfig) -> WordSample:
    """Feed the prompt's words, then one word at a time: each drawn word is the next input. The
    draw has its own generator from the config: the same weights give the same sample."""
    config = config.check()
    prompt = tokenize(config.prompt) or ["."]  # an empty prompt starts a fresh sentence
    ids = torch.as_tensor(vocab.encode(prompt)).unsqueeze(0)  # (1, prompt)
    rng = np.random.default_rng(config.seed)
    written: list[int] = []
    with torch.no_grad():
        hidden, state = model.core(model.encode(ids))
        logits = model.head(hidden[:, -1])  # (1, vocab)
        for _ in range(config.length):
            index = choose(logits[0].numpy(), config, rng)
            written.append(index)
            hidden, state = model.core(model.encode(torch.tensor([[index]])), state)
            logits = model.head(hidden[:, -1])
    return WordSample(
        tuple(vocab.decode(vocab.encode(prompt))), tuple(vocab.decode(written)), config
    )


def choose(logits: np.ndarray, config: WordSampleConfig, rng: np.random.Generator) -> int:
    """One word: the likeliest allowed (greedy), or a draw from ``allowed_distribution``.
    In numpy: a word costs a few small array operations, not a dozen torch calls."""
    if config.decoding == "greedy":
        masked = logits.astype(np.float64)
        masked[_banned(config)] = -np.inf
        return int(masked.argmax())
    probs = allowed_distribution(logits, config)
    cumulative = np.cumsum(probs)
    return int(
        min(
            np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"), len(probs) - 1
        )
    )


def allowed_distribution(logits: np.ndarray, config: WordSampleConfig) -> np.ndarray:
    """The distribution a draw uses: softmax(logits / T) over the words the decoding allows
    (``<pad>`` never, ``<unk>`` only when asked), renormalised; in float64 so that a tiny
    temperature sharpens the softmax instead of overflowing it."""
    scaled = np.asarray(logits, dtype=np.float64) / config.temperature
    scaled[_banned(config)] = -np.inf
    scaled -= scaled.max()
    probs = np.exp(scaled)
    probs /= probs.sum()
    if config.decoding == "top_k":
        k = min(config.top_k, int((probs > 0).sum()))
        probs = _only(probs, np.argpartition(-probs, k - 1)[:k])
    elif config.decoding == "nucleus":
        order = np.argsort(-probs, kind="stable")
        before = np.cumsum(probs[order]) - probs[order]  # mass of the words ranked above each
        probs = _only(probs, order[before < config.top_p])  # the first always stays
    return probs


def _banned(config: WordSampleConfig) -> list[int]:
    return [PAD] if config.allow_unknown else [PAD, UNK]


def _only(probs: np.ndarray, keep: np.ndarray) -> np.ndarray:
    kept = np.zeros_like(probs)
    kept[keep] = probs[keep]
    return kept / kept.sum()
