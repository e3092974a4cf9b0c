"""Refusals the engine gives: a stable key (for the translation catalog) plus the values to show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    key: str  # catalog key, e.g. "problem.hidden_size"
    text: str  # the English message, for logs and tests
    values: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


class InputError(ValueError):
    """Bad user input: a config, a file, a typed sequence. Carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.text for p in self.problems))
