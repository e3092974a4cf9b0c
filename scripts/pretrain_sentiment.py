"""Rebuild the shipped review classifier: an LSTM over frozen GloVe, on the Rotten Tomatoes sentences.

    python scripts/pretrain_sentiment.py            # 1500 steps, under a minute on one core
    python scripts/pretrain_sentiment.py --steps 50 --out /tmp/try.pt   # a quick check of the pipeline

It trains on the training part of the page's split only, minus a tenth of it kept aside to choose
when to stop (the weights of the best of those checks are kept: nothing is tuned on the held-out
sentences), then measures accuracy and F1 on the held-out part the page measures its live models on,
and stores them in the file with the training cost (steps, CPU seconds, the machine). Deterministic: every random
draw comes from the run's seeded generator, so the same Python, torch and arguments give the same
weights.
"""

from __future__ import annotations

import argparse
import copy
import platform
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from app.engine.sentiment.corpus import load_corpus
from app.engine.sentiment.glove import load_glove
from app.engine.sentiment.pretrained import PRETRAINED, checkpoint_bytes, load_pretrained
from app.engine.sentiment.run import SentimentConfig, SentimentRun, evaluate

CONFIG = SentimentConfig(
    source="rt",
    cell="lstm",
    embedding="glove_frozen",
    hidden_size=64,
    batch_size=64,
    learning_rate=0.002,
)
CHECK_EVERY = 100  # steps between looks at the sentences kept aside
ASIDE_SHARE = 0.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--hidden", type=int, default=CONFIG.hidden_size)
    parser.add_argument("--out", type=Path, default=PRETRAINED)
    args = parser.parse_args()
    torch.set_num_threads(1)

    vectors = load_glove()
    corpus = load_corpus(CONFIG.source, vectors.vocab)
    config = SentimentConfig(**{**CONFIG.__dict__, "hidden_size": args.hidden})
    rng = np.random.default_rng(config.seed)
    shuffled = rng.permutation(corpus.train_index)
    cut = int(len(shuffled) * ASIDE_SHARE)
    aside, train = np.sort(shuffled[:cut]), np.sort(shuffled[cut:])
    run = SentimentRun(config, replace(corpus, train_index=train), vectors)
    print(
        f"{len(train)} training sentences, {len(aside)} aside, {len(corpus.held_out_index)} held out"
    )
    best = (-1.0, 0, 0.0, copy.deepcopy(run.model.state_dict()))
    # CPU time of this process: the honest "on one core" figure even when other work shares the machine.
    start = time.process_time()
    while run.step < args.steps and not run.diverged:
        # Constant rate, then a linear decay over the last 40 %: steadier final weights.
        share = run.step / args.steps
        rate = config.learning_rate * min(1.0, max(0.05, (1 - share) / 0.4))
        for group in run.optimizer.param_groups:
            group["lr"] = rate
        run.train(steps=min(CHECK_EVERY, args.steps - run.step))
        loss = run.history.array("loss")[-50:].mean()
        checked = evaluate(run.model, corpus, aside, config.max_len).positive.accuracy
        if checked > best[0]:
            best = (
                checked,
                run.step,
                time.process_time() - start,
                copy.deepcopy(run.model.state_dict()),
            )
        print(
            f"step {run.step:5d}  train loss {loss:.3f}  aside accuracy {checked:.3f}  "
            f"{time.process_time() - start:6.0f} s CPU"
        )
    seconds = time.process_time() - start
    print(f"keeping the weights of step {best[1]} (aside accuracy {best[0]:.3f})")
    run.model.load_state_dict(best[3])
    result = evaluate(run.model, corpus, corpus.held_out_index, config.max_len)
    print(
        f"held-out ({len(result.labels)} sentences): accuracy {result.positive.accuracy:.4f}, "
        f"F1 {result.positive.f1:.4f}"
    )
    info = {
        "steps": best[1],
        "steps_run": run.step,
        "seconds": round(best[2], 1),  # CPU seconds to reach the kept weights
        "seconds_run": round(seconds, 1),
        "machine": machine(),
        "held_out_accuracy": result.positive.accuracy,
        "held_out_f1": result.positive.f1,
        "held_out_count": len(result.labels),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    args.out.write_bytes(checkpoint_bytes(run.model, vectors.vocab, config, info))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    load_pretrained(vectors, args.out)  # the file reads back


def machine() -> str:
    """The processor's name and that one torch thread trained it."""
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, one torch thread"


if __name__ == "__main__":
    main()
