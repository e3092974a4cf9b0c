"""How fast is the word level? Training steps/s of the default word config against the default
character config (the baseline, measured in the same run), what 30 s of CPU time on one core gives
(real words in a sample, held-out bits against the unigram), and 100 words sampled against 100
characters.

One torch thread, as in the app; CPU time of this process (the honest "one core" figure on a shared
machine); the load average is printed first.

Run: python bench/bench_words.py [--quick]   (~80 s; --quick trains 10 s instead of 30)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import torch

from app.engine.text.corpus import builtin_corpus
from app.engine.text.run import TextConfig, TextRun
from app.engine.text.sampling import SampleConfig
from app.engine.text.sampling import generate as generate_chars
from app.engine.words.compare import invented_share
from app.engine.words.corpus import builtin_tokens, make_word_corpus
from app.engine.words.run import WordConfig, WordRun, held_out
from app.engine.words.sampling import WordSampleConfig, generate
from app.engine.words.tokens import UNK, readable, tokenize

AIM_SAMPLE_MS = 200  # 100 words


def cpu_time(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s of training, fewer repeats")
    args = parser.parse_args()
    budget, repeats = (10.0, 3) if args.quick else (30.0, 7)
    torch.set_num_threads(1)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; torch {torch.__version__}"
    )

    config = WordConfig()
    corpus = make_word_corpus("reviews", list(builtin_tokens("reviews")), config.vocab_size)
    words = WordRun(config, corpus)
    chars = TextRun(TextConfig(), builtin_corpus("python"))
    for run in (words, chars):
        run.train(steps=3)  # warm-up: first steps allocate
    word_step = cpu_time(lambda: words.train(steps=10), repeats) / 10
    char_step = cpu_time(lambda: chars.train(steps=10), repeats) / 10
    print(
        f"default word config: {config.cell} hidden {config.hidden_size}, embedding "
        f"{config.embedding_dim}, vocabulary {config.vocab_size} "
        f"({corpus.coverage():.1%} of held-out words), {config.seq_len} words x batch {config.batch_size}"
    )
    print(
        f"  training: {1 / word_step:6.1f} steps/s, {word_step / char_step:.2f}x the time of a "
        f"character step (baseline {1 / char_step:.1f} steps/s)"
    )

    fresh = WordRun(config, corpus)
    start = time.process_time()
    while time.process_time() - start < budget:
        fresh.train(steps=10)
    result = held_out(fresh.model, corpus, 3000)
    sample = generate(fresh.model, corpus.vocab, WordSampleConfig(length=100))
    known = sum(1 for w in sample.words if corpus.vocab.id(w) != UNK) / len(sample.words)
    print(f"after {budget:.0f} s of CPU ({fresh.step} steps):")
    print(
        f"  held-out {result.bits_per_word:.2f} bits/word against the unigram's "
        f"{result.unigram_bits_per_word:.2f} ({result.unigram_bits_per_word / result.bits_per_word:.2f}x)"
    )
    print(f"  {known:.0%} of 100 sampled words are vocabulary words (the rest <unk>)")
    print(f"  sample: {readable(sample.prompt + sample.words)[:300]}")
    char_fresh = TextRun(TextConfig(corpus="own"), _reviews_as_chars(corpus))
    start = time.process_time()
    while time.process_time() - start < budget:
        char_fresh.train(steps=10)
    text = generate_chars(
        char_fresh.model, char_fresh.corpus.vocab, SampleConfig("the film is ", 600)
    )
    real = 1 - invented_share(tokenize(text.text)[1:-1], set(corpus.tokens[: corpus.split]))
    print(
        f"  baseline, a character LSTM as long on the same sentences ({char_fresh.step} steps): "
        f"{real:.0%} of its sampled words are real words"
    )

    sampling = WordSampleConfig(length=100)
    word_sample = cpu_time(lambda: generate(words.model, corpus.vocab, sampling), repeats)
    char_sample = cpu_time(
        lambda: generate_chars(chars.model, chars.corpus.vocab, SampleConfig(length=100)), repeats
    )
    verdict = "within" if word_sample * 1000 < AIM_SAMPLE_MS else "OVER"
    print(
        f"sampling 100 words: {word_sample * 1000:.0f} ms ({verdict} the {AIM_SAMPLE_MS} ms aim), "
        f"{word_sample / char_sample:.2f}x the time of 100 characters ({char_sample * 1000:.0f} ms)"
    )


def _reviews_as_chars(corpus):
    from app.engine.text.corpus import make_corpus
    from app.engine.words.tokens import canonical

    return make_corpus("own", canonical(corpus.tokens[: corpus.split]))


if __name__ == "__main__":
    main()
