"""The one training life cycle (app/engine/live.py): every live model clips, keeps its seed, and
takes live settings without a new model. Each run kind is checked against torch's own clipping."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

import pytest
import torch

from app.engine import live
from app.engine.config import RunConfig
from app.engine.duel import Duel, DuelConfig
from app.engine.live import Learner, needs_new_model
from app.engine.run import Run
from app.engine.saving import load_run, save_run
from app.engine.tasks import TaskConfig
from app.engine.text.corpus import builtin_corpus
from app.engine.text.run import TextConfig, TextRun
from app.engine.words.corpus import make_word_corpus
from app.engine.words.run import WordConfig, WordRun

THRESHOLD = 1e-3  # far below any first gradient here, so every step clips


def clipped_run() -> Learner:
    return Run(RunConfig(clip=True, clip_threshold=THRESHOLD))


def clipped_text_run() -> Learner:
    config = TextConfig(corpus="toy", hidden_size=16, seq_len=16, batch_size=8, clip=THRESHOLD)
    return TextRun(config, builtin_corpus("toy"))


def clipped_duel_run() -> Learner:
    run = Duel(DuelConfig(task=TaskConfig(name="adding", length=10))).runs["lstm"]
    run.retune(replace(run.config, clip_threshold=THRESHOLD))  # a live setting: same model
    return run


def clipped_word_run() -> Learner:
    config = WordConfig(corpus="own", vocab_size=50, hidden_size=16, seq_len=8, clip=THRESHOLD)
    return WordRun(config, make_word_corpus("own", ("a b c d e f g h " * 100).split(), 50))


LEARNERS = [clipped_run, clipped_text_run, clipped_duel_run, clipped_word_run]


def reference_step(learner: Learner, x: torch.Tensor, y: torch.Tensor, clip: float | None):
    """The step torch's own tools take: a copy of the model, clip_grad_norm_, the same optimiser."""
    model = copy.deepcopy(learner.model)
    optimizer = type(learner.optimizer)(model.parameters())
    optimizer.load_state_dict(learner.optimizer.state_dict())
    loss = model.loss(model(x), y)
    loss.backward()
    if clip is not None:
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return dict(model.named_parameters())


@pytest.mark.parametrize("make", LEARNERS)
def test_every_live_model_clips_as_torch_does(make: Callable[[], Learner]) -> None:
    learner = make()
    x, y = learner.batch()
    clipped = reference_step(learner, x, y, THRESHOLD)
    unclipped = reference_step(learner, x, y, None)
    learner.train_on(x, y)
    for name, parameter in learner.model.named_parameters():
        torch.testing.assert_close(parameter, clipped[name], rtol=1e-4, atol=1e-6)
    assert any(
        not torch.allclose(p, unclipped[n], atol=1e-6) for n, p in learner.model.named_parameters()
    ), "clipping made no difference: the test would not notice it switched off"
    assert learner.history.last("clipped") == 1.0
    assert learner.history.last("grad_norm_clipped") == pytest.approx(THRESHOLD)
    assert learner.history.last("grad_norm") > THRESHOLD


def test_no_clipping_when_switched_off() -> None:
    run = Run(RunConfig(clip=False))
    x, y = run.batch()
    expected = reference_step(run, x, y, None)
    run.train_on(x, y)
    for name, parameter in run.model.named_parameters():
        torch.testing.assert_close(parameter, expected[name], rtol=1e-4, atol=1e-6)
    assert run.history.last("clipped") == 0.0


def test_live_settings_retune_and_the_rest_need_a_new_model() -> None:
    config = RunConfig()
    assert not needs_new_model(config, replace(config, learning_rate=0.02, clip=False))
    assert needs_new_model(config, replace(config, hidden_size=8))
    assert needs_new_model(config, replace(config, seed=1))
    text = TextConfig()
    assert not needs_new_model(text, replace(text, learning_rate=0.001))
    assert needs_new_model(text, replace(text, cell="gru"))
    run = Run(config)
    run.train(steps=3)
    run.retune(replace(config, learning_rate=0.05))
    assert run.optimizer.param_groups[0]["lr"] == 0.05
    assert run.step == 3
    with pytest.raises(ValueError):
        run.retune(replace(config, hidden_size=8))


def test_a_saved_run_keeps_its_seed() -> None:
    config = RunConfig(task=TaskConfig(name="sine"), seed=1234)
    run = Run(config)
    run.train(steps=5)
    loaded = load_run(save_run(run))
    assert loaded.config.seed == 1234
    run.train(steps=5)
    loaded.train(steps=5)
    assert loaded.history.array("loss").tolist() == run.history.array("loss").tolist()
    other = Run(replace(config, seed=0))
    other.train(steps=10)
    assert other.history.array("loss").tolist() != run.history.array("loss").tolist()


def test_a_slice_stops_when_asked_before_its_time_is_up() -> None:
    run = Run(RunConfig())
    asked = []
    done = run.train(seconds=5.0, stop=lambda: len(asked.append(1) or asked) > 7)
    assert done == 7  # asked before each step: the eighth question said stop
    assert run.step == 7


def test_a_slice_is_timed_on_the_threads_cpu_not_the_wall(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a crowd: each step takes 1 ms of this thread's CPU and 3 ms on the wall (waiting for
    # the other sessions' threads). A slice of 10 ms trains 10 steps, not 4.
    clock = {"cpu": 0.0, "wall": 0.0}

    def step() -> None:
        clock["cpu"] += 0.001
        clock["wall"] += 0.003

    monkeypatch.setattr(live.time, "thread_time", lambda: clock["cpu"])
    monkeypatch.setattr(live.time, "perf_counter", lambda: clock["wall"])
    done, elapsed = live.run_slice(step, lambda: False, steps=None, seconds=0.0095)
    assert done == 10
    assert elapsed == pytest.approx(0.030)  # the speed shown stays steps per wall second
    # A press's slice is timed on the wall (app/ui/live_fragment.py): 4 steps.
    done, _ = live.run_slice(step, lambda: False, None, 0.0095, clock=live.time.perf_counter)
    assert done == 4
