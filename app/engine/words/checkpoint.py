"""The shipped pretrained word model (with the character model trained beside it on the same
text, for the comparison of the two levels), and the file format they travel in.

``torch.save`` of plain values and float16 tensors (half the size; the models compute in float32),
read with ``weights_only=True``: loading never runs code from the file.
``scripts/pretrain_words.py`` writes the one in this folder."""

from __future__ import annotations

import io
from dataclasses import dataclass, fields
from pathlib import Path

import torch

from app.engine.problems import InputError, Problem
from app.engine.saved_file import SavedFormat, read_file, read_saved
from app.engine.text.corpus import Vocabulary as CharVocabulary
from app.engine.text.run import TextConfig, build_text_model
from app.engine.words.run import WordConfig, build_word_model
from app.engine.words.tokens import Vocabulary
from models.sequence import SequenceModel

FORMAT = "unrolled-word-model"
VERSION = 1
PRETRAINED = Path(__file__).parent / "reviews_words.pt"
CHECKPOINT = SavedFormat(FORMAT, VERSION, max_bytes=8 * 2**20, max_inflated=8 * 2**20)


@dataclass(frozen=True)
class PretrainedWords:
    model: SequenceModel
    vocab: Vocabulary
    config: WordConfig
    char_model: SequenceModel  # the character level, trained on the same text for as long
    char_vocab: CharVocabulary
    char_config: TextConfig
    info: dict[str, float | int | str]  # steps, CPU seconds, held-out bits of both levels...


def checkpoint_bytes(
    model: SequenceModel,
    vocab: Vocabulary,
    config: WordConfig,
    char_model: SequenceModel,
    char_vocab: CharVocabulary,
    char_config: TextConfig,
    info: dict,
) -> bytes:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "config": _plain(config),
        "vocab": "\n".join(vocab.words[2:]),  # after <pad> and <unk>
        "state": _half(model),
        "char_config": _plain(char_config),
        "char_vocab": char_vocab.chars,
        "char_state": _half(char_model),
        "info": {k: v if type(v) in (int, float) else str(v) for k, v in info.items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_checkpoint(source: Path | bytes = PRETRAINED) -> PretrainedWords:
    """Both models ready for inference (no gradients), or InputError saying why not."""
    try:
        data = source if isinstance(source, bytes) else read_file(Path(source), CHECKPOINT)
        payload = read_saved(data, CHECKPOINT)
    except InputError as error:
        raise InputError(
            Problem("problem.text_checkpoint", f"no usable checkpoint ({error})")
        ) from None
    try:
        config = WordConfig(**payload["config"]).check()
        vocab = Vocabulary(tuple(str(payload["vocab"]).split("\n")))
        model = build_word_model(config, vocab.size, torch.Generator().manual_seed(0))
        model.load_state_dict(_full(payload["state"]))
        char_config = TextConfig(**payload["char_config"]).check()
        char_vocab = CharVocabulary(str(payload["char_vocab"]))
        char_model = build_text_model(char_config, char_vocab.size, torch.Generator())
        char_model.load_state_dict(_full(payload["char_state"]))
        info = dict(payload.get("info", {}))
    except (KeyError, TypeError, ValueError, RuntimeError, InputError) as error:
        raise InputError(
            Problem("problem.text_checkpoint", f"inconsistent checkpoint ({error})")
        ) from None
    for each in (model, char_model):
        each.eval()
        each.requires_grad_(False)  # shared read-only between sessions: nothing may train it
    return PretrainedWords(model, vocab, config, char_model, char_vocab, char_config, info)


def _plain(config) -> dict:
    return {f.name: getattr(config, f.name) for f in fields(config)}


def _half(model: SequenceModel) -> dict[str, torch.Tensor]:
    return {k: v.detach().to(torch.float16).clone() for k, v in model.state_dict().items()}


def _full(state: dict) -> dict[str, torch.Tensor]:
    return {k: v.to(torch.float32) for k, v in state.items()}
