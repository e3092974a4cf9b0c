"""Rebuild the shipped word model: an LSTM over the 2,000 most frequent words of the review
sentences, and beside it a character LSTM trained on the same text for the same number of steps,
so the page can compare the two levels on the same held-out characters.

    python scripts/pretrain_words.py                 # 3000 steps each, about 5 minutes of CPU on one core
    python scripts/pretrain_words.py --steps 50 --out /tmp/try.pt   # a quick check of the pipeline

Deterministic: fixed corpus and split, every draw from the runs' seeded generators.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import torch

from app.engine.text.corpus import make_corpus
from app.engine.text.run import TextConfig, TextRun
from app.engine.words.checkpoint import PRETRAINED, checkpoint_bytes, load_checkpoint
from app.engine.words.compare import char_held_out
from app.engine.words.corpus import builtin_tokens, make_word_corpus
from app.engine.words.run import WordConfig, WordRun, held_out
from app.engine.words.tokens import canonical

CONFIG = WordConfig(corpus="reviews", learning_rate=0.003)
CHAR_CONFIG = TextConfig(corpus="reviews", hidden_size=128, seq_len=100, learning_rate=0.003)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=PRETRAINED)
    args = parser.parse_args()
    torch.set_num_threads(1)

    corpus = make_word_corpus("reviews", list(builtin_tokens("reviews")), CONFIG.vocab_size)
    # The character model learns only the word level's training words: the held-out words stay
    # unseen by both.
    train_text = canonical(corpus.tokens[: corpus.split])
    char_corpus = make_corpus("reviews", train_text)
    print(f"{len(corpus.tokens):,} words, coverage {corpus.coverage():.1%}")
    word_run, word_seconds = train(WordRun(CONFIG, corpus), args.steps, CONFIG.learning_rate)
    char_run, char_seconds = train(
        TextRun(CHAR_CONFIG, char_corpus), args.steps, CHAR_CONFIG.learning_rate
    )
    words = held_out(word_run.model, corpus)
    chars = char_held_out(char_run.model, char_corpus.vocab, corpus, train_text)
    print(
        f"held-out over {words.chars:,} characters: words {words.bits_per_char:.3f} bits/char "
        f"({words.bits_per_word:.2f} bits/word, unknowns {words.unknown_bits / words.total_bits:.0%}"
        f" of it), characters {chars.bits_per_char:.3f}, word unigram "
        f"{words.unigram_bits_per_char:.3f}, character unigram {chars.unigram_bits_per_char:.3f}"
    )
    info = {
        "steps": word_run.step,
        "seconds": round(word_seconds, 1),
        "char_seconds": round(char_seconds, 1),
        "bits_per_char": words.bits_per_char,
        "bits_per_word": words.bits_per_word,
        "char_bits_per_char": chars.bits_per_char,
        "unigram_bits_per_char": words.unigram_bits_per_char,
        "char_unigram_bits_per_char": chars.unigram_bits_per_char,
        "held_out_chars": words.chars,
        "coverage": corpus.coverage(),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    data = checkpoint_bytes(
        word_run.model,
        corpus.vocab,
        CONFIG,
        char_run.model,
        char_corpus.vocab,
        CHAR_CONFIG,
        info,
    )
    args.out.write_bytes(data)
    load_checkpoint(args.out)  # it reads back
    print(f"wrote {args.out} ({len(data) / 1024:.0f} KiB)")


def train(run, steps: int, rate: float) -> tuple[object, float]:
    """Constant rate, then a linear decay over the last 30 %; CPU seconds of this process."""
    start = time.process_time()
    while run.step < steps and not run.diverged:
        share = run.step / steps
        for group in run.optimizer.param_groups:
            group["lr"] = rate * min(1.0, max(0.1, (1 - share) / 0.3))
        run.train(steps=min(250, steps - run.step))
        print(
            f"{type(run).__name__} step {run.step:5d}  {run.history.array('bits')[-50:].mean():.3f}"
        )
    return run, time.process_time() - start


if __name__ == "__main__":
    main()
