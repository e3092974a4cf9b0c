"""The live character model: it learns (beats the unigram baseline on held-out text), deterministically."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
import torch

from app.engine.problems import InputError
from app.engine.text import run as text_run
from app.engine.text.corpus import builtin_corpus, make_corpus
from app.engine.text.run import TextConfig, TextRun, held_out, next_char_probabilities
from app.engine.text.sampling import SampleConfig, generate

SMALL = TextConfig(
    corpus="toy", cell="lstm", hidden_size=32, seq_len=24, batch_size=16, learning_rate=0.01
)


@pytest.fixture(scope="module")
def toy():
    return builtin_corpus("toy")


def test_a_short_run_beats_the_unigram_baseline_on_held_out_text(toy) -> None:
    run = TextRun(SMALL, toy)
    before = run.held_out()
    assert before.bits > before.unigram_bits  # an untrained model is worse than frequencies
    run.train(steps=100)
    after = held_out(run.model, toy)
    assert after.bits < after.unigram_bits - 1.0, after
    assert math.isclose(after.perplexity, 2**after.bits)
    assert run.history.last("val_bits") < before.bits


def test_same_config_and_seed_give_the_same_curve(toy) -> None:
    first, second = TextRun(SMALL, toy), TextRun(SMALL, toy)
    first.train(steps=5)
    second.train(steps=5)
    assert first.history.columns["bits"] == second.history.columns["bits"]
    other = TextRun(TextConfig(**{**SMALL.__dict__, "seed": 1}), toy)
    other.train(steps=5)
    assert other.history.columns["bits"] != first.history.columns["bits"]


def test_batches_are_windows_shifted_by_one(toy) -> None:
    run = TextRun(SMALL, toy)
    x, y = run.batch()
    assert x.shape == y.shape == (SMALL.batch_size, SMALL.seq_len)
    assert torch.equal(x[:, 1:], y[:, :-1])


def test_unigram_baseline_is_the_entropy_of_character_frequencies() -> None:
    corpus = make_corpus("own", "ab" * 2000)
    result = held_out(TextRun(SMALL, corpus).model, corpus)
    assert result.unigram_bits == pytest.approx(1.0, abs=0.01)  # a fair coin: one bit


def test_divergence_stops_the_run_and_says_where(toy) -> None:
    run = TextRun(SMALL, toy)
    run.train(steps=2)
    with torch.no_grad():
        run.model.head.weight.fill_(math.inf)
    assert run.train(steps=5) == 1
    assert run.diverged_at == 3 and run.step == 2


def test_probabilities_of_the_next_character_sum_to_one(toy) -> None:
    run = TextRun(SMALL, toy)
    probs = next_char_probabilities(run.model, toy.val_ids[:40])
    assert probs.shape == (40, toy.vocab.size)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_impossible_settings_and_too_short_text_are_refused(toy) -> None:
    with pytest.raises(InputError) as refused:
        TextRun(TextConfig(hidden_size=0, cell="transformer"), toy)
    assert {p.key for p in refused.value.problems} == {"problem.range", "problem.choice"}
    with pytest.raises(InputError):
        TextRun(TextConfig(seq_len=200), make_corpus("own", "abc" * 50))


def test_learning_rate_changes_live(toy) -> None:
    run = TextRun(SMALL, toy)
    run.train(steps=2)
    run.retune(TextConfig(**{**SMALL.__dict__, "learning_rate": 0.01}))
    assert run.optimizer.param_groups[0]["lr"] == 0.01 and run.step == 2


def test_training_waits_while_a_reader_holds_the_lock(toy) -> None:
    """The page reads the live model in one thread while the fragment may train it in another."""
    run = TextRun(SMALL, toy)
    worker = threading.Thread(target=run.train, kwargs={"steps": 1})
    with run.lock:
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive() and run.step == 0
    worker.join(timeout=10)
    assert run.step == 1


def test_the_live_sample_is_written_once_a_step_and_while_playing_once_a_moment(
    toy, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = TextRun(SMALL, toy)
    config = SampleConfig(length=30)
    clock = [100.0]
    monkeypatch.setattr(text_run.time, "monotonic", lambda: clock[0])
    first = run.live_sample(config, playing=True).sample
    assert run.live_sample(config, playing=False).sample is first  # the same step: the same sample
    assert run.sample_wanted == config  # what the training worker writes next
    run.train(steps=1)
    assert run.live_sample(config, playing=True).sample is first  # playing, written a moment ago
    other = SampleConfig(length=30, temperature=0.5)
    assert run.live_sample(other, playing=True).sample.config == other  # new settings: written now
    run.train(steps=1)
    kept = run.live_sample(other, playing=True)
    assert kept.step == run.step - 1  # still the one of a moment ago, and it says so
    clock[0] += text_run.LIVE_SAMPLE_EVERY
    assert run.live_sample(other, playing=True).step == run.step  # that moment has passed
    run.train(steps=1)
    paused = run.live_sample(config, playing=False).sample  # paused: the model as it is now
    assert run._written.step == run.step and paused == generate(run.model, toy.vocab, config)
