"""Forecasting tasks: read a window of past values, predict the next one."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from app.engine.tasks.base import (
    Scaler,
    Task,
    TaskConfig,
    TaskInfo,
    _tensor,
    chronological_split,
    forecast_task,
)

# The lesson's two small examples, exactly as given there: three days in, the next day out.
LESSON_X = (
    (20, 21, 19),
    (21, 19, 22),
    (19, 22, 23),
    (22, 23, 21),
    (23, 21, 24),
    (21, 24, 25),
    (24, 25, 23),
)
LESSON_Y = (22, 23, 24, 24, 25, 23, 22)

LESSON = TaskInfo(
    "lesson_temperature",
    "The lesson's own seven windows of three days: can the network fit them?",
    (),
    "forecast",
)
SEATTLE = TaskInfo(
    "seattle_temperature",
    "Real daily maximum temperatures (Seattle, 2012-2015): forecast tomorrow from the last days.",
    ("window",),
    "forecast",
)
SYNTHETIC = TaskInfo(
    "synthetic_temperature",
    "A made-up climate (seasons + trend + noise) of any length: memory of the season helps.",
    ("window", "days", "noise"),
    "forecast",
)
SINE_LENGTH = 2000
SINE = TaskInfo(
    "sine",
    "A noisy sine wave: the hidden state must carry the phase.",
    ("window", "frequency", "noise"),
    "forecast",
)


def lesson_temperature(config: TaskConfig) -> Task:
    """No held-out data: "validation" here is the same seven windows it trains on (``held_out`` says
    so), because the point is to watch the network fit the lesson's data. Seattle holds data out."""
    x = np.array(LESSON_X, dtype=np.float64)
    y = np.array(LESSON_Y, dtype=np.float64)
    scaler = Scaler.fit(np.concatenate([x.ravel(), y]))
    xs = _tensor(scaler.apply(x)).unsqueeze(-1)  # (7, 3, 1)
    ys = _tensor(scaler.apply(y))
    return Task(LESSON, "regression", 1, 1, xs, ys, xs, ys, scaler, unit="°C", held_out="training")


def seattle_temperature(config: TaskConfig) -> Task:
    series = seattle_series()
    train, val = chronological_split(series, config.window)
    return forecast_task(SEATTLE, train, val, config.window, unit="°C")


def synthetic_temperature(config: TaskConfig) -> Task:
    generator = torch.Generator().manual_seed(config.seed)
    days = np.arange(config.days)
    season = 8.0 * np.sin(2 * np.pi * (days - 110) / 365.25)  # warmest around late July
    trend = 0.002 * days
    weather = _red_noise(config.days, 0.7, generator) * 3.0 * config.noise / 0.1
    series = 15.0 + season + trend + weather
    train, val = chronological_split(series, config.window)
    return forecast_task(SYNTHETIC, train, val, config.window, unit="°C")


def sine(config: TaskConfig) -> Task:
    generator = torch.Generator().manual_seed(config.seed)
    steps = np.arange(SINE_LENGTH)
    noise = torch.randn(len(steps), generator=generator, dtype=torch.float64).numpy()
    series = np.sin(2 * np.pi * config.frequency * steps) + config.noise * noise
    train, val = chronological_split(series, config.window)
    return forecast_task(SINE, train, val, config.window)


def series_task(info: TaskInfo, values: np.ndarray, window: int, unit: str = "") -> Task:
    """Any user series (an uploaded CSV column), split in time."""
    train, val = chronological_split(np.asarray(values, dtype=np.float64), window)
    return forecast_task(info, train, val, window, unit)


@lru_cache(maxsize=1)
def seattle_series() -> np.ndarray:
    """Daily maximum temperature in °C, from the copy of the data the vega_datasets package ships."""
    from vega_datasets import local_data

    frame = local_data.seattle_weather()
    values = frame["temp_max"].to_numpy(dtype=np.float64)
    values.setflags(write=False)  # shared read-only across sessions
    return values


def _red_noise(n: int, memory: float, generator: torch.Generator) -> np.ndarray:
    """AR(1) noise: today's weather resembles yesterday's."""
    shocks = torch.randn(n, generator=generator, dtype=torch.float64).numpy()
    out = np.empty(n)
    level = 0.0
    for i, shock in enumerate(shocks):
        level = memory * level + np.sqrt(1 - memory**2) * shock
        out[i] = level
    return out
