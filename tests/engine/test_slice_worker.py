"""Training slices in the worker process (app/engine/slice_worker.py): a slice there is the same
slice as in the session's thread, the thing keeps its identity and lock, a press stops it, and
whatever cannot go there (not ready, does not travel, too big, a dead worker) trains at home."""

from __future__ import annotations

import math
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine import slice_worker
from app.engine.config import RunConfig
from app.engine.diagnostics import ASKED_FOR, look
from app.engine.duel import Duel, DuelConfig
from app.engine.live import Learner
from app.engine.order import OrderConfig, OrderDemo
from app.engine.presets import PRESETS
from app.engine.run import Run
from app.engine.sentiment.corpus import shipped_reviews
from app.engine.sentiment.glove import shipped_vectors
from app.engine.sentiment.run import SentimentConfig, SentimentRun
from app.engine.slice_worker import SliceWorker, dumps
from app.engine.text.corpus import builtin_corpus, make_corpus
from app.engine.text.run import TextConfig, TextRun
from app.engine.text.sampling import SampleConfig
from app.engine.words.corpus import builtin_tokens, make_word_corpus, shipped_word_corpus
from app.engine.words.run import WordConfig, WordRun
from app.engine.words.sampling import WordSampleConfig

READY_SECONDS = 60.0  # the worker imports torch: seconds on a busy machine


def started(worker: SliceWorker) -> SliceWorker:
    deadline = time.monotonic() + READY_SECONDS
    while not worker.ready:
        assert worker.broken is None and time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    return worker


@pytest.fixture(scope="module")
def worker() -> Iterator[SliceWorker]:
    one = started(SliceWorker())
    yield one
    one.close()


def never() -> bool:
    return False


def test_a_slice_in_the_worker_is_the_slice_trained_here(worker: SliceWorker) -> None:
    away, here = Run(RunConfig(seed=3)), Run(RunConfig(seed=3))
    lock, uid, history = away.lock, away.uid, away.history
    with away.lock:
        assert worker.train(away, steps=60, seconds=None, stop=never) == 60
    here.train(steps=60)
    assert away.lock is lock and away.uid == uid  # the same object, adopted in place
    assert away.history is history and away.history.journal is None  # its rows recorded here
    assert away.step == here.step == 60
    _same_weights(away, here)
    assert set(away.history.columns) == set(here.history.columns)
    for column in here.history.columns:
        np.testing.assert_array_equal(away.history.array(column), here.history.array(column))
    # Its generator and optimiser came back too: the next steps stay the same.
    away.train(steps=5)
    here.train(steps=5)
    assert torch.equal(away.model.head.weight, here.model.head.weight)
    assert isinstance(away.lock, type(threading.RLock()))


def test_a_duel_slice_in_the_worker_is_the_slice_trained_here(worker: SliceWorker) -> None:
    """A duel goes whole, its runs and the task they share; each run keeps its identity, lock, uid
    and history at home, which records the slice's rows."""
    config = DuelConfig(cells=("rnn", "lstm", "gru"), hidden_size=8)
    away, here = Duel(config), Duel(config)
    kept = {cell: (run, run.lock, run.uid, run.history) for cell, run in away.runs.items()}
    with away.lock:
        assert worker.train(away, steps=60, seconds=None, stop=never) == 60
    here.train(steps=60)
    assert away.step == here.step == 60 and away.reached == here.reached
    # Measured where it trained: the server's drawing finds each evaluation and a look made.
    assert away._looks[0] == 60
    assert all(run._evaluation is not None for run in away.runs.values())
    for cell, (run, lock, uid, history) in kept.items():
        assert away.runs[cell] is run and run.lock is lock and run.uid == uid
        assert run.history is history and history.journal is None
        assert run.task is away.task  # still one task for the duel's runs
        _same_weights(run, here.runs[cell])
        for column in here.runs[cell].history.columns:
            np.testing.assert_array_equal(
                history.array(column), here.runs[cell].history.array(column)
            )
    away.train(steps=5)  # the batch generator came back too: the same next steps
    here.train(steps=5)
    for cell, run in here.runs.items():
        _same_weights(away.runs[cell], run)


def test_the_gradients_pages_looks_are_taken_in_the_worker_while_it_asks(
    worker: SliceWorker,
) -> None:
    """A run the gradients page reads comes back from its slice with a look at its last step (and
    W_hh's spectrum) taken there; one no page asked of lately comes back without."""
    asked, unasked = Run(RunConfig(seed=1)), Run(RunConfig(seed=1))
    first = asked.gradient_looks(playing=True).entries[-1]  # the page's first draw: step 0
    asked.gradient_log.last_taken = unasked.gradient_log.last_taken = -math.inf  # a look is due
    for run in (asked, unasked):
        with run.lock:
            assert worker.train(run, steps=40, seconds=None, stop=never) == 40
    log = asked.gradient_log
    assert [entry.step for entry in log.entries] == [0, 40]
    assert log.entries[0].step == first.step and log.spectrum.step == 40
    np.testing.assert_allclose(log.entries[-1].norms, look(asked).norms, rtol=1e-5)
    assert asked.gradient_looks(playing=True) is log  # what the page then draws
    assert unasked.gradient_log.entries == []
    log.asked -= ASKED_FOR  # the page stopped asking (another page, a closed tab)
    log.last_taken = -math.inf
    with asked.lock:
        worker.train(asked, steps=40, seconds=None, stop=never)
    assert [entry.step for entry in asked.gradient_log.entries] == [0, 40]


def test_a_review_classifier_travels_without_its_corpus_and_comes_back_the_same(
    worker: SliceWorker,
) -> None:
    """The shipped reviews and vectors go as calls, not as their 8 MB: the classifier comes back
    holding the very objects the sessions share, trained as here, its held-out reading made."""
    corpus, vectors = shipped_reviews("rt"), shipped_vectors()
    config = SentimentConfig(hidden_size=16, batch_size=16)
    away, here = (SentimentRun(config, corpus, vectors) for _ in range(2))
    assert len(dumps(away)) < len(dumps((away.model, away.optimizer))) + 500_000
    with away.lock:
        assert worker.train(away, steps=8, seconds=None, stop=never) == 8
    here.train(steps=8)
    assert away.corpus is corpus and away.vectors is vectors
    _same_weights(away, here)
    assert away._evaluation is not None
    np.testing.assert_allclose(
        away._evaluation.probabilities, here.evaluation().probabilities, rtol=1e-5
    )
    for column in here.history.columns:
        np.testing.assert_array_equal(away.history.array(column), here.history.array(column))


def _same_weights(away: Learner, here: Learner) -> None:
    for (name, mine), theirs in zip(
        away.model.state_dict().items(), here.model.state_dict().values(), strict=True
    ):
        assert torch.equal(mine, theirs), name


def test_a_press_stops_a_slice_in_the_worker_early(worker: SliceWorker) -> None:
    run = Run(RunConfig())
    asked = time.monotonic()
    pressed = lambda: time.monotonic() - asked > 0.05  # noqa: E731
    with run.lock:
        done = worker.train(run, steps=None, seconds=5.0, stop=pressed)
    assert time.monotonic() - asked < 2.0  # not the five seconds asked for
    assert done is not None and done == run.step < 100_000


def test_a_press_does_not_wait_for_the_slices_ahead_of_its_own(worker: SliceWorker) -> None:
    """Another session's slice trains in the worker and this session's is sent behind it: a press
    here is answered at once, not after the other's slice. Its own slice, not begun, does nothing
    when its turn comes; its job is taken again only after that."""
    ahead, mine = Run(RunConfig(seed=1)), Run(RunConfig(seed=2))
    other_stops = threading.Event()  # the other session trains until this test lets it stop
    results: dict[str, int | None] = {}

    def train(name: str, run: Run, stop: Callable[[], bool]) -> threading.Thread:
        def session() -> None:
            with run.lock:
                results[name] = worker.train(run, steps=None, seconds=30.0, stop=stop)

        thread = threading.Thread(target=session, daemon=True)
        thread.start()
        return thread

    other = train("ahead", ahead, other_stops.is_set)
    deadline = time.monotonic() + READY_SECONDS
    while slice_worker.TRAINING not in worker._flags[:]:  # the other slice has begun there
        assert time.monotonic() < deadline and other.is_alive()
        time.sleep(0.01)
    sent = time.monotonic()  # the press comes 0.2 s after this slice was sent behind the other
    this = train("mine", mine, lambda: time.monotonic() > sent + 0.2)
    this.join(timeout=20.0)
    waited = this.is_alive()
    other_stops.set()
    other.join(timeout=60.0)
    assert not waited, "the press waited for the other session's slice"
    assert results["mine"] == 0 and mine.step == 0 and len(mine.history) == 0
    assert results["ahead"] and ahead.step == results["ahead"]
    while len(worker._free) < slice_worker.JOBS:  # the skipped slice's job, given back once done
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_diverging_run_comes_back_diverged(worker: SliceWorker) -> None:
    run = Run(PRESETS["exploding"])
    with run.lock:
        worker.train(run, steps=100, seconds=None, stop=never)
    assert run.diverged and run.diverged_at is not None and run.diverged_at <= 40


def test_what_does_not_travel_trains_at_home(
    worker: SliceWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson = OrderDemo(OrderConfig())  # the lesson's demonstrations train at home
    assert not lesson.travels
    assert worker.train(lesson, steps=3, seconds=None, stop=never) is None
    assert lesson.step == 0
    assert not worker.takes(lesson)
    monkeypatch.setattr(slice_worker, "MAX_TRAVEL_BYTES", 1000)
    big = Run(RunConfig())
    assert worker.takes(big)
    assert worker.train(big, steps=3, seconds=None, stop=never) is None
    assert big.step == 0
    assert not worker.takes(big)  # the pacing no longer counts on the worker for it
    monkeypatch.setattr(slice_worker, "MAX_TRAVEL_BYTES", 10**9)
    assert worker.train(big, steps=3, seconds=None, stop=never) is None  # remembered as too big
    unpicklable = Run(RunConfig())
    unpicklable.task = replace(unpicklable.task, stream=lambda size, generator: None)
    assert worker.train(unpicklable, steps=3, seconds=None, stop=never) is None
    assert unpicklable.step == 0


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_run_travels(preset: str) -> None:
    run = Run(PRESETS[preset])
    run.train(steps=2)
    back = pickle.loads(dumps(run))
    assert len(dumps(run)) <= slice_worker.MAX_TRAVEL_BYTES
    (x, y), (x_back, y_back) = run.batch(), back.batch()  # the same generator state, too
    assert torch.equal(x_back, x) and torch.equal(y_back, y)


def test_a_worker_not_yet_started_sends_nothing() -> None:
    fresh = SliceWorker()
    try:
        if not fresh.ready:  # a spawned process takes a second at least to import torch
            assert fresh.train(Run(RunConfig()), steps=3, seconds=None, stop=never) is None
    finally:
        fresh.close()


def test_a_dead_worker_is_reported_and_every_slice_trains_at_home() -> None:
    dying = started(SliceWorker())
    try:
        (pid,) = dying._pool._processes
        os.kill(pid, signal.SIGKILL)
        run = Run(RunConfig())
        deadline = time.monotonic() + READY_SECONDS
        while (trained := dying.train(run, steps=3, seconds=None, stop=never)) is not None:
            assert time.monotonic() < deadline
        assert trained is None and run.step == 0
        assert dying.broken is not None and "stopped" in dying.broken
        assert not dying.ready
    finally:
        dying.close()


def test_a_worker_found_dead_when_a_slice_is_sent_is_reported_and_the_slice_trains_at_home() -> (
    None
):
    # The worker died after the last slice came back: the pool refuses the next one outright
    # (``submit`` raises) instead of failing it; a session's refresh must not see that.
    dying = started(SliceWorker())
    try:
        (pid,) = dying._pool._processes
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + READY_SECONDS
        while not dying._pool._broken:  # the pool's own thread notices the death
            assert time.monotonic() < deadline, "the pool never noticed its worker died"
            time.sleep(0.05)
        assert dying.ready  # not told yet: the slice is sent
        run = Run(RunConfig())
        assert dying.train(run, steps=3, seconds=None, stop=never) is None and run.step == 0
        assert dying.broken is not None and "stopped" in dying.broken and not dying.ready
        assert len(dying._free) == slice_worker.JOBS  # its job given back
    finally:
        dying.close()


def test_tensors_travel_as_arrays_with_their_kind_and_gradient() -> None:
    weight = torch.nn.Parameter(torch.randn(3, 4))
    weight.grad = torch.randn(3, 4)
    frozen = torch.nn.Parameter(torch.randn(2), requires_grad=False)
    values = torch.arange(10.0)
    back = pickle.loads(dumps({"w": weight, "f": frozen, "i": torch.arange(5), "v": values[2:4]}))
    assert type(back["w"]) is torch.nn.Parameter and back["w"].requires_grad
    assert torch.equal(back["w"], weight) and torch.equal(back["w"].grad, weight.grad)
    assert type(back["f"]) is torch.nn.Parameter and not back["f"].requires_grad
    assert back["i"].dtype == torch.int64 and back["i"].tolist() == [0, 1, 2, 3, 4]
    assert back["v"].tolist() == [2.0, 3.0]


def test_a_run_travels_whole_and_retuned(worker: SliceWorker) -> None:
    run = Run(RunConfig(optimizer="sgd", momentum=0.5))
    run.retune(replace(run.config, learning_rate=0.05, momentum=0.9))
    with run.lock:
        worker.train(run, steps=2, seconds=None, stop=never)
    assert run.config.learning_rate == 0.05
    assert [g["momentum"] for g in run.optimizer.param_groups] == [0.9]
    assert [g["lr"] for g in run.optimizer.param_groups] == [0.05]
    assert all(
        p is q
        for p, q in zip(
            run.optimizer.param_groups[0]["params"], run.model.parameters(), strict=True
        )
    )


def test_a_run_sends_its_history_as_steps_and_gets_back_the_slices_rows(
    worker: SliceWorker,
) -> None:
    """A long run's history (2,000 rows of some 20 columns) does not travel: its steps go, the
    rows of the slice come back, and the run at home then has every row it would have had."""
    away, here = Run(RunConfig(seed=5)), Run(RunConfig(seed=5))
    away.train(steps=3000)
    here.train(steps=3000)
    sent = dumps(away)
    assert len(sent) < len(pickle.dumps(away.history.state())) / 3  # the rows stay at home
    with away.lock:
        assert worker.train(away, steps=200, seconds=None, stop=never) == 200
    here.train(steps=200)
    assert away.history == here.history
    for column in here.history.names():
        np.testing.assert_array_equal(away.history.array(column), here.history.array(column))


def _same_text_runs(away: TextRun, here: TextRun) -> None:
    assert away.step == here.step
    _same_weights(away, here)
    assert away.history == here.history


def test_a_text_run_travels_without_its_corpus_and_trains_the_same(worker: SliceWorker) -> None:
    """A character model's slice trains in the worker too. A built-in corpus (the Python one is
    14 MB) goes as its name: the run comes back holding the very corpus the sessions share, its
    training ids still a view of it."""
    corpus = builtin_corpus("toy")
    assert builtin_corpus("toy") is corpus  # one per process
    config = TextConfig(corpus="toy", hidden_size=32, seq_len=16, batch_size=8)
    away, here = TextRun(config, corpus), TextRun(config, corpus)
    assert worker.takes(away)
    assert len(dumps(away)) < corpus.ids.nbytes / 4
    with away.lock:
        assert worker.train(away, steps=30, seconds=None, stop=never) == 30
    here.train(steps=30)
    _same_text_runs(away, here)
    assert away.corpus is corpus
    assert away._train.data_ptr() == torch.from_numpy(corpus.train_ids).data_ptr()
    assert away.history.names() and not np.isnan(away.history.last("val_bits"))
    # What the page draws of this step came back measured: the server does not pass the text again.
    assert away._held_out is not None and away._held_out == here.held_out()
    # The live sample the page asked for is written there too, at the new step.
    assert away._written is None  # the page never asked
    wanted = SampleConfig(length=40)
    first = away.live_sample(wanted, playing=True).sample  # a refresh's drawing, here
    with away.lock:
        worker.train(away, steps=2, seconds=None, stop=never)
    here.train(steps=2)
    away._written = replace(away._written, at=0.0)  # as if the last one were old: one is due
    with away.lock:
        worker.train(away, steps=1, seconds=None, stop=never)
    here.train(steps=1)
    assert away._written.step == away.step == 33 and away._written.at > 0
    assert (
        away.live_sample(wanted, playing=True).sample is away._written.sample
    )  # nothing written here
    assert away._written.sample == here.live_sample(wanted, playing=False).sample != first


def test_a_text_run_on_the_users_own_text_takes_it_along(worker: SliceWorker) -> None:
    own = make_corpus("own", "def add(a, b):\n    return a + b\n" * 150)
    config = TextConfig(corpus="own", hidden_size=16, seq_len=16, batch_size=4)
    away, here = TextRun(config, own), TextRun(config, own)
    with away.lock:
        assert worker.train(away, steps=10, seconds=None, stop=never) == 10
    here.train(steps=10)
    _same_text_runs(away, here)
    assert away.corpus.text == own.text and np.array_equal(away.corpus.ids, own.ids)  # a copy
    pickled = pickle.loads(pickle.dumps(builtin_corpus("toy")))
    assert pickled is builtin_corpus("toy")


def test_a_word_model_travels_without_its_corpus_and_trains_the_same(worker: SliceWorker) -> None:
    """A built-in word corpus goes as its name and vocabulary size: the model comes back holding
    the one the sessions share, trained as here, its held-out bits and live sample made there."""
    corpus = shipped_word_corpus("reviews", 500)
    assert shipped_word_corpus("reviews", 500) is corpus  # one per process and size
    config = WordConfig(vocab_size=500, hidden_size=16, embedding_dim=16, seq_len=12, batch_size=8)
    away, here = WordRun(config, corpus), WordRun(config, corpus)
    assert worker.takes(away) and len(dumps(away)) < corpus.ids.nbytes / 4
    wanted = WordSampleConfig(length=12)
    away.live_sample(wanted, playing=True)  # the page asked for a sample
    away._written = replace(away._written, at=0.0)  # as if it were old: one is due
    with away.lock:
        assert worker.train(away, steps=20, seconds=None, stop=never) == 20
    here.train(steps=20)
    assert away.corpus is corpus
    _same_weights(away, here)
    assert away._held_out is not None and away._held_out == here.held_out()
    assert away._written.step == 20
    assert away._written.sample == here.live_sample(wanted, playing=False).sample
    own = make_word_corpus("own", list(builtin_tokens("reviews")[:3000]), 60)
    assert pickle.loads(pickle.dumps(own)) is not own  # the user's own text goes whole


def test_the_word_levels_default_model_travels_with_its_adam_state() -> None:
    config = WordConfig()
    run = WordRun(config, shipped_word_corpus(config.corpus, config.vocab_size))
    run.train(steps=1)
    assert len(dumps(run)) <= slice_worker.MAX_TRAVEL_BYTES


def test_the_text_pages_default_model_travels_with_its_adam_state() -> None:
    run = TextRun(TextConfig(), builtin_corpus("python"))
    run.train(steps=1)  # Adam's moments now exist: twice the parameters again
    assert len(dumps(run)) <= slice_worker.MAX_TRAVEL_BYTES


def test_the_worker_builds_the_built_in_corpora_as_it_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """So the first character model to arrive does not wait for its corpus to be built."""
    started_threads: list[str] = []
    monkeypatch.setattr(
        slice_worker.threading.Thread, "start", lambda self: started_threads.append(self.name)
    )
    monkeypatch.setattr(slice_worker.torch, "set_num_threads", lambda count: None)
    monkeypatch.setattr(slice_worker, "_flags", None)  # what _start sets, put back afterwards
    slice_worker._start(slice_worker.multiprocessing.RawArray("b", 1))
    assert started_threads == ["warm-up"]
    builtin_corpus.cache_clear()
    slice_worker._warm_up()
    assert builtin_corpus.cache_info().currsize == 2  # python and toy; "own" is the user's
    assert shipped_reviews.cache_info().currsize >= 1  # the default reviews, for a classifier
