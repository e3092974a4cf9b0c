"""Writing new text with a character model: greedy (always the likeliest) or sampled at a temperature."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from app.engine.problems import InputError, Problem
from app.engine.text.corpus import Vocabulary
from models.sequence import SequenceModel

MAX_LENGTH = 2000
MAX_PROMPT = 500
TEMPERATURE_RANGE = (0.0001, 5.0)


@dataclass(frozen=True)
class SampleConfig:
    prompt: str = "def "
    length: int = 300
    temperature: float = 0.8
    greedy: bool = False
    seed: int = 0

    def check(self) -> SampleConfig:
        problems = []
        if not 1 <= self.length <= MAX_LENGTH:
            problems.append(
                Problem(
                    "problem.text_length",
                    f"the length must be between 1 and {MAX_LENGTH}",
                    {"limit": MAX_LENGTH},
                )
            )
        low, high = TEMPERATURE_RANGE
        if not self.greedy and not low <= self.temperature <= high:
            problems.append(
                Problem(
                    "problem.text_temperature",
                    f"the temperature must be between {low:g} and {high:g}",
                    {"low": low, "high": high},
                )
            )
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
class Sample:
    prompt: str
    text: str  # what the model wrote after the prompt
    config: SampleConfig

    @property
    def full(self) -> str:
        return self.prompt + self.text


def generate(model: SequenceModel, vocab: Vocabulary, config: SampleConfig) -> Sample:
    """Feed the prompt, then one character at a time: each drawn character is the next input.

    The draw uses its own generator seeded from the config, so the same sample comes back while the
    weights stay the same (a live run's sample changes only because the model does)."""
    config = config.check()
    prompt = config.prompt or "\n"  # an empty prompt starts a fresh line
    generator = torch.Generator().manual_seed(config.seed)
    ids = torch.as_tensor(vocab.encode(prompt)).unsqueeze(0)  # (1, prompt)
    written: list[int] = []
    with torch.no_grad():
        hidden, state = model.core(model.encode(ids))
        logits = model.head(hidden[:, -1])  # (1, vocab)
        # Every character's input vector, and the cells' weights, looked up once for the sample.
        inputs = model.encode(torch.arange(vocab.size).unsqueeze(0))[0]  # (vocab, features)
        step = model.core.stepper()
        for _ in range(config.length):
            index = _choose(logits[0], config, generator)
            written.append(index)
            top, state = step(inputs[index : index + 1], state)
            logits = model.head(top)
    return Sample(config.prompt, vocab.decode(written), config)


def temper(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """The distribution p^(1/T), renormalised: T < 1 sharpens it, T > 1 flattens it."""
    log_p = np.log(np.clip(probabilities, 1e-300, None)) / temperature
    log_p -= log_p.max(axis=-1, keepdims=True)
    scaled = np.exp(log_p)
    return scaled / scaled.sum(axis=-1, keepdims=True)


def _choose(logits: torch.Tensor, config: SampleConfig, generator: torch.Generator) -> int:
    if config.greedy:
        return int(logits.argmax())
    # In float64 so that a tiny temperature sharpens the softmax instead of overflowing it.
    probs = F.softmax(logits.double() / config.temperature, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))
