"""The lesson's intermediate exercise, checked: does the student's next-day model beat "tomorrow =
today" on days it never trained on?

The exercise's own data cannot answer that: it lists five temperatures while its four windows and
targets need seven (22, 23, 21, 24, 25, 23, 22), and every one of them is used for training. So the
exercise is set up on a longer series (the app's made-up climate: seasons plus weather that lasts a
few days, its last part kept for validation) with the exercise's window of three days and its small
SimpleRNN; the check reads the run the student trained on the training page.

"Tomorrow = today" is a hard baseline for daily temperatures: on this series the best possible
forecast is only a few percent better (measured: 1.74 °C against 1.77 °C of mean absolute error).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.config import RunConfig
from app.engine.run import Run
from app.engine.tasks import TaskConfig
from app.engine.tasks.series import LESSON

EXERCISE_WINDOW = 3
# The exercise's series: what its four windows and targets imply (its dataset line lists five values).
EXERCISE_SERIES = (22, 23, 21, 24, 25, 23, 22)
EXERCISE_LISTED = (22, 23, 21, 24, 25)
# The starting point the student is given: the exercise's SimpleRNN(8), three days in.
STARTING_POINT = RunConfig(
    task=TaskConfig(name="synthetic_temperature", window=EXERCISE_WINDOW),
    cell="rnn",
    hidden_size=8,
)
# A worked solution: the same network with a little more room, trained a few hundred steps.
SOLUTION = RunConfig(
    task=TaskConfig(name="synthetic_temperature", window=EXERCISE_WINDOW),
    cell="rnn",
    hidden_size=16,
    learning_rate=0.005,
)
SOLUTION_STEPS = 300


@dataclass(frozen=True)
class Verdict:
    """What the check found; ``passed`` only when all of it holds."""

    forecast: bool  # the run forecasts a series (not the adding or recall task)
    held_out: bool  # its validation days were not trained on
    trained: bool  # it has taken at least one step
    model_error: float  # mean absolute error on the validation days, in the data's units
    persistence_error: float  # the same for "tomorrow = today"
    window: int

    @property
    def beats_persistence(self) -> bool:
        return self.model_error < self.persistence_error

    @property
    def passed(self) -> bool:
        return self.forecast and self.held_out and self.trained and self.beats_persistence


def check_attempt(run: Run) -> Verdict:
    """Judge the student's run on its validation days (never on its training days)."""
    task = run.task
    forecast = task.info.kind == "forecast"
    evaluation = run.evaluate()
    return Verdict(
        forecast=forecast,
        # The lesson's seven windows are validated on themselves: no unseen day to judge.
        held_out=task.info.name != LESSON.name,
        trained=run.step > 0,
        model_error=evaluation.score if forecast else float("nan"),
        persistence_error=evaluation.baseline if forecast else float("nan"),
        window=run.config.task.window,
    )


def worked_solution(steps: int = SOLUTION_STEPS) -> tuple[Run, Verdict]:
    """The solution trained here and checked as a student's attempt would be."""
    run = Run(SOLUTION)
    run.train(steps=steps)
    return run, check_attempt(run)
