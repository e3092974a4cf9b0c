"""The data part of an exported script: each task's data written out plainly in torch, or embedded.

Every block defines ``draw_batch(size, generator) -> (x, y)``, drawing from the generator it is
given exactly as the app's ``Task.batch`` does, so a script's batches are the app's batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from textwrap import dedent, indent

import torch

from app.engine.tasks import Task, TaskConfig
from app.engine.tasks.base import TRAIN_SHARE
from app.engine.tasks.memory import VALIDATION_SEED_OFFSET, VALIDATION_SIZE
from app.engine.tasks.series import LESSON_X, LESSON_Y, SINE_LENGTH, seattle_series

__all__ = ["data_code"]


def data_code(config: TaskConfig, task: Task) -> str:
    """The script's data section for ``config``; ``task`` is the built task (an upload's series)."""
    writer = WRITERS.get(config.name, _uploaded)
    return writer(config, task).strip() + "\n"


def _lesson(config: TaskConfig, task: Task) -> str:
    rows = "\n        ".join(f"{list(row)}," for row in LESSON_X)
    block = dedent("""
        # The lesson's own seven windows: three days of temperatures (°C) and the day after each.
        DAYS = torch.tensor(
            [
                $ROWS
            ],
            dtype=torch.float64,
        )
        NEXT_DAY = torch.tensor($NEXT, dtype=torch.float64)

        # Standardised with one mean and spread over every number, so the network sees values near 0.
        everything = torch.cat([DAYS.flatten(), NEXT_DAY])
        MEAN, STD = everything.mean(), everything.std(correction=0)
        X_TRAIN = ((DAYS - MEAN) / STD).float().unsqueeze(-1)  # (7 windows, 3 days, 1 value)
        Y_TRAIN = ((NEXT_DAY - MEAN) / STD).float()  # (7,)
        """)
    return block.replace("$ROWS", rows).replace("$NEXT", str(list(LESSON_Y))) + _RANDOM_WINDOWS


def _seattle(config: TaskConfig, task: Task) -> str:
    series = seattle_series()
    train = series[: int(len(series) * TRAIN_SHARE)]
    return (
        dedent(f'''
        # Daily maximum temperatures in Seattle (°C) from 1 January 2012: the first {TRAIN_SHARE:.0%}
        # of 2012-2015 (the app keeps the rest, the future, to validate on).
        SEATTLE = """
        {_numbers(repr(float(v)) for v in train)}
        """
        train = torch.tensor([float(v) for v in SEATTLE.split()], dtype=torch.float64)
        ''')
        + _series_windows(config.window)
        + _RANDOM_WINDOWS
    )


def _sine(config: TaskConfig, task: Task) -> str:
    return (
        dedent(f"""
        # A noisy sine wave of {SINE_LENGTH} samples; the noise has its own generator (the data seed).
        data_generator = torch.Generator().manual_seed({config.seed})
        steps = torch.arange({SINE_LENGTH}, dtype=torch.float64)
        noise = torch.randn({SINE_LENGTH}, generator=data_generator, dtype=torch.float64)
        series = torch.sin(2 * math.pi * {config.frequency!r} * steps) + {config.noise!r} * noise
        """)
        + _TRAIN_PART
        + _series_windows(config.window)
        + _RANDOM_WINDOWS
    )


def _synthetic(config: TaskConfig, task: Task) -> str:
    return (
        dedent(f"""
        def red_noise(n, memory, generator):
            \"\"\"AR(1) noise: today's weather resembles yesterday's.\"\"\"
            shocks = torch.randn(n, generator=generator, dtype=torch.float64).tolist()
            out, level = [], 0.0
            for shock in shocks:
                level = memory * level + math.sqrt(1 - memory**2) * shock
                out.append(level)
            return torch.tensor(out, dtype=torch.float64)


        # A made-up climate of {config.days} days: seasons, a slow warming trend and weather.
        data_generator = torch.Generator().manual_seed({config.seed})
        days = torch.arange({config.days}, dtype=torch.float64)
        season = 8.0 * torch.sin(2 * math.pi * (days - 110) / 365.25)  # warmest in late July
        trend = 0.002 * days
        weather = red_noise({config.days}, 0.7, data_generator) * 3.0 * {config.noise!r} / 0.1
        series = 15.0 + season + trend + weather
        """)
        + _TRAIN_PART
        + _series_windows(config.window)
        + _RANDOM_WINDOWS
    )


def _uploaded(config: TaskConfig, task: Task) -> str:
    """A series the user brought: embedded as the app standardised it (float32, exact)."""
    z = torch.cat([task.x_train[0, :, 0], task.y_train])
    scaler = task.scaler
    return (
        dedent(f'''
        # Your own series: its training part ({len(z)} values), already standardised by the app
        # (value - {scaler.mean:.6g}) / {scaler.std:.6g}, so the network sees numbers near 0.
        SERIES = """
        {_numbers(f"{float(v):.9g}" for v in z)}
        """
        z = torch.tensor([float(v) for v in SERIES.split()])
        X_TRAIN = z[:-1].unfold(0, {config.window}, 1).unsqueeze(-1)  # (windows, {config.window} steps, 1)
        Y_TRAIN = z[{config.window}:]  # the value right after each window
        ''')
        + _RANDOM_WINDOWS
    )


def _adding(config: TaskConfig, task: Task) -> str:
    return dedent(f"""
        LENGTH = {config.length}


        def draw_batch(size, generator):
            \"\"\"The adding problem: each step is (a random value, a marker); the answer is the sum
            of the two marked values, one in each half of the sequence. Fresh sequences every batch.\"\"\"
            values = torch.rand(size, LENGTH, generator=generator)
            half = max(LENGTH // 2, 1)
            first = torch.randint(0, half, (size,), generator=generator)
            second = torch.randint(half, LENGTH, (size,), generator=generator)
            markers = torch.zeros(size, LENGTH)
            rows = torch.arange(size)
            markers[rows, first] = 1.0
            markers[rows, second] = 1.0
            target = values[rows, first] + values[rows, second]
            return torch.stack([values, markers], dim=-1), target  # (size, LENGTH, 2), (size,)
        """)


def _recall(config: TaskConfig, task: Task) -> str:
    lag, symbols = config.lag, config.symbols
    distinct = symbols ** (lag + 1)
    head = dedent(f"""
        LAG, SYMBOLS = {lag}, {symbols}


        def as_inputs(tokens):
            \"\"\"Symbols as one-hot vectors (batch, LAG + 1, SYMBOLS); the answer is the first one.\"\"\"
            return F.one_hot(tokens, SYMBOLS).float(), tokens[:, 0]
        """)
    if distinct >= 2**62:  # so many sequences that a repeat of a validation one never happens
        return head + dedent("""

            def draw_batch(size, generator):
                \"\"\"Delayed recall: name the symbol shown LAG steps ago. Fresh sequences every batch.\"\"\"
                return as_inputs(torch.randint(0, SYMBOLS, (size, LAG + 1), generator=generator))
            """)
    if distinct <= 4 * VALIDATION_SIZE:
        held = dedent("""
            # So few sequences exist that the app holds out a quarter of the continuations of each
            # first symbol, chosen with the validation generator, so every answer is still asked.
            every = torch.cartesian_prod(*[torch.arange(SYMBOLS)] * (LAG + 1)).reshape(-1, LAG + 1)
            per_symbol = len(every) // SYMBOLS
            keep = max(per_symbol // 4, 1)
            chosen = [
                k * per_symbol + torch.randperm(per_symbol, generator=validation_generator)[:keep]
                for k in range(SYMBOLS)
            ]
            HELD_OUT = codes(every[torch.cat(chosen)])
            """)
    else:
        held = dedent(f"""
            validation = torch.randint(0, SYMBOLS, ({VALIDATION_SIZE}, LAG + 1), generator=validation_generator)
            HELD_OUT = codes(validation)
            """)
    return (
        head
        + dedent(f"""

            def codes(tokens):
                \"\"\"Each sequence of symbols as one integer (its digits in base SYMBOLS).\"\"\"
                powers = SYMBOLS ** torch.arange(tokens.shape[1], dtype=torch.int64)
                return (tokens.to(torch.int64) * powers).sum(dim=1)


            # The app validates on sequences the training stream never draws: make the same ones
            # (from their own generator) so the stream below can redraw them as the app does.
            validation_generator = torch.Generator().manual_seed({config.seed + VALIDATION_SEED_OFFSET})
            """)
        + held
        + dedent("""

            def draw_batch(size, generator):
                \"\"\"Delayed recall: name the symbol shown LAG steps ago, through LAG distracting
                symbols. Fresh sequences every batch, redrawn while any is a validation sequence.\"\"\"
                tokens = torch.randint(0, SYMBOLS, (size, LAG + 1), generator=generator)
                seen = torch.isin(codes(tokens), HELD_OUT)
                while bool(seen.any()):
                    redrawn = torch.randint(0, SYMBOLS, (int(seen.sum()), LAG + 1), generator=generator)
                    tokens[seen] = redrawn
                    seen = torch.isin(codes(tokens), HELD_OUT)
                return as_inputs(tokens)
            """)
    )


# The lines every forecast shares, after its series is made.
_TRAIN_PART = dedent(f"""
    # Train on the past: the first {TRAIN_SHARE:.0%} (the app validates on the rest, the future).
    train = series[: int(len(series) * {TRAIN_SHARE!r})]
    """)


def _series_windows(window: int) -> str:
    return dedent(f"""
        # Standardised with the training part's own mean and spread, so the network sees values near 0.
        std = train.std(correction=0)
        z = (train - train.mean()) / (std if std > 1e-12 else 1.0)  # a flat series stays as it is
        # Sliding windows of {window} values, and the value right after each.
        X_TRAIN = z[:-1].unfold(0, {window}, 1).float().unsqueeze(-1)  # (windows, {window} steps, 1)
        Y_TRAIN = z[{window}:].float()  # (windows,)
        """)


_RANDOM_WINDOWS = dedent("""

    def draw_batch(size, generator):
        \"\"\"A random batch of training windows (all of them, in order, when the batch is that big).\"\"\"
        n = len(X_TRAIN)
        if size >= n:
            return X_TRAIN, Y_TRAIN
        index = torch.randperm(n, generator=generator)[:size]
        return X_TRAIN[index], Y_TRAIN[index]
    """)


def _numbers(values: Iterable[str], per_line: int = 14) -> str:
    """Numbers as lines of text inside a string (a string keeps a thousand numbers compact)."""
    items = list(values)
    lines = [" ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return indent("\n".join(lines), "        ").lstrip()


WRITERS: dict[str, Callable[[TaskConfig, Task], str]] = {
    "lesson_temperature": _lesson,
    "seattle_temperature": _seattle,
    "synthetic_temperature": _synthetic,
    "sine": _sine,
    "adding": _adding,
    "recall": _recall,
}
