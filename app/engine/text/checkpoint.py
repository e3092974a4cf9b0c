"""The shipped pretrained character model, and the file format it travels in.

A checkpoint is ``torch.save`` of plain values and tensors, read with ``weights_only=True``: loading never
runs code from the file. ``scripts/pretrain_char.py`` writes the one in this folder."""

from __future__ import annotations

import io
from dataclasses import dataclass, fields
from pathlib import Path

import torch

from app.engine.problems import InputError, Problem
from app.engine.text.corpus import Vocabulary
from app.engine.text.run import TextConfig, build_text_model
from models.sequence import SequenceModel

FORMAT = "unrolled-char-model"
VERSION = 1
PRETRAINED = Path(__file__).parent / "python_lstm.pt"


@dataclass(frozen=True)
class Pretrained:
    model: SequenceModel
    vocab: Vocabulary
    config: TextConfig
    info: dict[str, float | int | str]  # steps, seconds, held-out bits, Python version...


def checkpoint_bytes(
    model: SequenceModel, vocab: Vocabulary, config: TextConfig, info: dict
) -> bytes:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "config": {f.name: getattr(config, f.name) for f in fields(config)},
        "vocab": vocab.chars,
        "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
        # Plain values only (a TorchVersion is a str subclass that weights_only refuses).
        "info": {k: v if type(v) in (int, float) else str(v) for k, v in info.items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_checkpoint(source: Path | bytes = PRETRAINED) -> Pretrained:
    """A model ready for inference (no gradients), or InputError saying why the file is refused."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        payload = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:  # missing, truncated or foreign: say so, build nothing
        raise InputError(
            Problem("problem.text_checkpoint", f"no usable checkpoint ({type(error).__name__})")
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(Problem("problem.text_checkpoint", "not a character-model checkpoint"))
    if payload.get("version") != VERSION:
        raise InputError(Problem("problem.text_checkpoint", "a checkpoint of another version"))
    try:
        config = TextConfig(**payload["config"]).check()
        vocab = Vocabulary(str(payload["vocab"]))
        model = build_text_model(config, vocab.size, torch.Generator().manual_seed(0))
        model.load_state_dict(payload["state"])
    except (KeyError, TypeError, RuntimeError, InputError) as error:
        raise InputError(
            Problem("problem.text_checkpoint", f"inconsistent checkpoint ({error})")
        ) from None
    model.eval()
    model.requires_grad_(False)  # shared read-only between sessions: nothing may train it
    return Pretrained(model, vocab, config, dict(payload.get("info", {})))
