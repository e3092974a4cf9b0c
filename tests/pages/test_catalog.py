"""Every string a user sees comes from the catalog, in both languages."""

from __future__ import annotations

import re

import pytest

from app.engine.presets import PRESETS
from app.engine.tasks import TASKS, UPLOAD_NAME
from app.ui import i18n
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES, catalog
from app.ui.settings import WIDGETS
from tests.conftest import ROOT

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_.0-9]+)["']""")


def keys_used_in_code() -> set[str]:
    found = set()
    for path in [*ROOT.glob("app/**/*.py"), *ROOT.glob("pages/*.py")]:
        found.update(LITERAL_KEY.findall(path.read_text()))
    return found


def dynamic_keys() -> set[str]:
    """Keys the code builds from names (settings, options, tasks, presets, problems)."""
    keys = {f"setting.{name}" for name in WIDGETS}
    keys |= {f"preset.{name}" for name in PRESETS}
    keys |= {f"task.{name}.teaches" for name in (*TASKS, UPLOAD_NAME)}
    keys |= {f"option.task.{name}" for name in (*TASKS, UPLOAD_NAME)}
    keys |= {f"option.cell.{c}" for c in ("rnn", "lstm", "gru")}
    keys |= {f"option.activation.{a}" for a in ("tanh", "relu", "linear")}
    keys |= {f"option.init.{i}" for i in ("default", "orthogonal", "gaussian", "identity")}
    keys |= {f"option.optimizer.{o}" for o in ("adam", "sgd", "rmsprop")}
    keys |= {f"metric.{m}" for m in ("mae", "mse", "accuracy")}
    keys |= {f"baseline.{b}" for b in ("persistence", "constant", "chance")}
    choices = {"task", "cell", "activation", "init", "optimizer", "num_layers"}
    keys |= {f"help.{name}" for name in WIDGETS if name not in choices}
    return keys


def engine_problem_keys() -> set[str]:
    pattern = re.compile(r"""Problem\(\s*["'](problem\.[a-z_]+)["']""")
    found = set()
    for path in ROOT.glob("app/engine/**/*.py"):
        found.update(pattern.findall(path.read_text()))
    return found


def test_both_languages_have_the_same_keys() -> None:
    english, portuguese = set(catalog("en")), set(catalog("pt"))
    assert english - portuguese == set(), "missing in Portuguese"
    assert portuguese - english == set(), "missing in English"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_key_the_code_uses_exists(language: str) -> None:
    wanted = keys_used_in_code() | dynamic_keys() | engine_problem_keys()
    assert len(wanted) > 100
    assert wanted - set(catalog(language)) == set()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_translations_are_not_empty(language: str) -> None:
    assert all(text.strip() for text in catalog(language).values())


def test_numbers_in_portuguese_texts_use_the_decimal_comma(monkeypatch) -> None:
    import numpy as np

    from app.ui import i18n

    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    assert i18n.t("grad.spectrum_title", radius=0.5678, step=1200).endswith("(raio espectral 0,57)")
    assert i18n.t("text.at_temperature", value=np.float32(0.8)) == "Na temperatura 0,8"
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert i18n.t("grad.spectrum_title", radius=0.5678, step=1200).endswith("0.57)")


def test_a_large_whole_bound_is_written_whole_in_both_languages(monkeypatch) -> None:
    from app.ui import i18n

    for language, shown in (("en", "2,147,483,647"), ("pt", "2.147.483.647")):
        monkeypatch.setattr(i18n, "current_language", lambda language=language: language)
        text = i18n.t("problem.range", field="seed", low=0, high=2147483647.0, value=-1)
        assert shown in text and "e+09" not in text, text
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert i18n.t("problem.range", field="x", low=0.001, high=1.0, value=2).startswith(
        "x must be between 0.001 and 1"
    )


def test_a_pinned_language_is_read_once_and_let_go(monkeypatch) -> None:
    """A live refresh reads the session's language once (i18n.language_pinned): inside, texts and
    numbers follow the language read on entering; after it, the session's language again."""
    session = {LANGUAGE_KEY: "pt"}
    monkeypatch.setattr(i18n.st, "session_state", session)
    with i18n.language_pinned():
        session[LANGUAGE_KEY] = "en"  # what a lookup would now find
        assert i18n.current_language() == "pt"
        assert i18n.number(0.5, ".1f") == "0,5"
    assert i18n.current_language() == "en"
    assert i18n.number(0.5, ".1f") == "0.5"
