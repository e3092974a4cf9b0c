"""Rebuild the shipped character model: an LSTM trained on Python standard-library source.

    python scripts/pretrain_char.py            # ~4000 steps, about 6-8 minutes on one core
    python scripts/pretrain_char.py --steps 50 --out /tmp/try.pt   # a quick check of the pipeline

Deterministic: the corpus is a fixed list of stdlib modules, and every random draw comes from the run's
seeded generator, so the same Python, torch and arguments give the same weights. It then measures the
model on held-out text and prints the units the search finds for each feature of the text.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import torch

from app.engine.text.checkpoint import PRETRAINED, checkpoint_bytes, load_checkpoint
from app.engine.text.corpus import builtin_corpus
from app.engine.text.run import TextConfig, TextRun, held_out
from app.engine.text.units import FEATURES, activations, search_units

CONFIG = TextConfig(
    corpus="python",
    cell="lstm",
    hidden_size=192,
    seq_len=100,
    batch_size=32,
    learning_rate=0.003,  # slower than the live default, steadier over thousands of steps
)
SEARCH_CHARS = 20000  # held-out characters the unit search reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--hidden", type=int, default=CONFIG.hidden_size)
    parser.add_argument("--out", type=Path, default=PRETRAINED)
    args = parser.parse_args()
    torch.set_num_threads(1)

    corpus = builtin_corpus("python")
    config = TextConfig(**{**CONFIG.__dict__, "hidden_size": args.hidden})
    print(f"corpus: {len(corpus.text):,} characters, vocabulary {corpus.vocab.size}")
    run = TextRun(config, corpus)
    # CPU time of this process: the honest "on one core" figure even when other work shares the machine.
    start = time.process_time()
    while run.step < args.steps and not run.diverged:
        # Constant rate, then a linear decay over the last 30 %: the usual last few tenths of a bit.
        share = run.step / args.steps
        rate = config.learning_rate * min(1.0, max(0.1, (1 - share) / 0.3))
        for group in run.optimizer.param_groups:
            group["lr"] = rate
        run.train(steps=min(250, args.steps - run.step))
        bits = run.history.array("bits")[-50:].mean()
        print(
            f"step {run.step:5d}  train {bits:.3f} bits/char  {time.process_time() - start:6.0f} s CPU"
        )
    seconds = time.process_time() - start

    result = held_out(run.model, corpus)
    print(
        f"held-out: {result.bits:.3f} bits/char over {result.chars:,} characters "
        f"(unigram {result.unigram_bits:.3f}); perplexity {result.perplexity:.2f}"
    )
    info = {
        "steps": run.step,
        "seconds": round(seconds, 1),
        "held_out_bits": result.bits,
        "unigram_bits": result.unigram_bits,
        "corpus_chars": len(corpus.text),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    args.out.write_bytes(checkpoint_bytes(run.model, corpus.vocab, config, info))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    report_units(args.out)


def report_units(path: Path) -> None:
    """What the search finds in the saved model, on held-out text."""
    pretrained = load_checkpoint(path)
    corpus = builtin_corpus("python")
    text = corpus.val_text[:SEARCH_CHARS]
    acts = activations(pretrained.model, pretrained.vocab.encode(text))
    for name, feature in FEATURES.items():
        best = search_units(acts, feature(text), top=3)
        found = ", ".join(f"{s.source} {s.unit}: r = {s.correlation:+.2f}" for s in best)
        print(f"{name:14s} {found}")


if __name__ == "__main__":
    main()
