"""The shipped pretrained character model, and the file format it travels in.

A checkpoint is ``torch.save`` of plain values and tensors, read with ``weights_only=True``: loading never
runs code from the file. ``scripts/pretrain_char.py`` writes the one in this folder."""

from __future__ import annotations

import io
from dataclasses import dataclass, fields
from pathlib import Path

import torch

from app.engine.problems import InputError, Problem
from app.engine.saved_file import SavedFormat, read_file, read_saved
from app.engine.text.corpus import Vocabulary
from app.engine.text.run import TextConfig, build_text_model
from models.sequence import SequenceModel

FORMAT = "unrolled-char-model"
VERSION = 1
PRETRAINED = Path(__file__).parent / "python_lstm.pt"
# The shipped model is under 2 MB; the largest text model the settings allow is well under this.
CHECKPOINT = SavedFormat(FORMAT, VERSION, max_bytes=16 * 2**20, max_inflated=16 * 2**20)


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
        data = source if isinstance(source, bytes) else read_file(Path(source), CHECKPOINT)
        payload = read_saved(data, CHECKPOINT)
    except InputError as error:  # missing, truncated, foreign or too big: say so, build nothing
        raise InputError(
            Problem("problem.text_checkpoint", f"no usable checkpoint ({error})")
        ) from None
    try:
        config = TextConfig(**payload["config"]).check()
        vocab = Vocabulary(str(payload["vocab"]))
        model = build_text_model(config, vocab.size, torch.Generator().manual_seed(0))
        model.load_state_dict(payload["state"])
        info = dict(payload.get("info", {}))
    except (KeyError, TypeError, ValueError, RuntimeError, InputError) as error:
        raise InputError(
            Problem("problem.text_checkpoint", f"inconsistent checkpoint ({error})")
        ) from None
    model.eval()
    model.requires_grad_(False)  # shared read-only between sessions: nothing may train it
    return Pretrained(model, vocab, config, info)
