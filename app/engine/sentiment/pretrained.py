"""The shipped pretrained review classifier, and the file format it travels in.

The model reads frozen GloVe vectors, so the file holds only what training changed (the reader and
its head) and a reference to the vectors it was trained over: the GloVe subset's vocabulary size and
a digest of its words. Loading rebuilds the embedding from the shipped subset and refuses a file made
over other vectors. The file is ``torch.save`` of plain values and tensors, read with
``weights_only=True`` (app/engine/saved_file.py): loading never runs code from the file.
``scripts/pretrain_sentiment.py`` writes the one in this folder, with its cost and held-out score."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, fields
from pathlib import Path

import torch

from app.engine.problems import InputError, Problem
from app.engine.saved_file import SavedFormat, read_file, read_saved
from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.run import SentimentConfig
from app.engine.sentiment.tokens import Vocabulary
from models.sentiment import ReviewClassifier, build_classifier

FORMAT = "unrolled-review-model"
VERSION = 1
PRETRAINED = Path(__file__).parent / "rt_lstm.pt"
# The shipped file is ~0.2 MB; the largest reader the settings allow (hidden 256) is ~1.3 MB.
CHECKPOINT = SavedFormat(FORMAT, VERSION, max_bytes=4 * 2**20, max_inflated=4 * 2**20)


@dataclass(frozen=True)
class PretrainedReviews:
    model: ReviewClassifier
    vocab: Vocabulary
    config: SentimentConfig
    info: dict[str, float | int | str]  # steps, CPU seconds, machine, held-out accuracy and F1...


def vocab_digest(vocab: Vocabulary) -> str:
    """A short fingerprint of the words, in order: the same ids mean the same words."""
    return hashlib.sha256("\n".join(vocab.words).encode("utf-8")).hexdigest()[:32]


def checkpoint_bytes(
    model: ReviewClassifier, vocab: Vocabulary, config: SentimentConfig, info: dict
) -> bytes:
    """The file of a classifier over frozen GloVe: every weight but the embedding's."""
    if config.embedding != "glove_frozen":
        raise ValueError("only a classifier over frozen GloVe is stored without its embedding")
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "config": {f.name: getattr(config, f.name) for f in fields(config)},
        "vectors": {"size": vocab.size, "digest": vocab_digest(vocab)},
        "state": {
            k: v.detach().clone()
            for k, v in model.state_dict().items()
            if not k.startswith("embedding")
        },
        # Plain values only (a TorchVersion is a str subclass that weights_only refuses).
        "info": {k: v if type(v) in (int, float) else str(v) for k, v in info.items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_pretrained(vectors: WordVectors, source: Path | bytes = PRETRAINED) -> PretrainedReviews:
    """A classifier ready for inference (no gradients) over ``vectors``, or InputError saying why
    the file is refused: unreadable, foreign, made over other word vectors, or inconsistent."""
    try:
        data = source if isinstance(source, bytes) else read_file(Path(source), CHECKPOINT)
        payload = read_saved(data, CHECKPOINT)
    except InputError as error:  # missing, truncated, foreign or too big: say so, build nothing
        raise _refused(f"no usable review model ({error})") from None
    reference = payload.get("vectors")
    expected = {"size": vectors.vocab.size, "digest": vocab_digest(vectors.vocab)}
    if reference != expected:
        raise _refused("the review model was trained over other word vectors")
    try:
        config = SentimentConfig(**payload["config"]).check()
        if config.embedding != "glove_frozen":
            raise ValueError(f"embedding {config.embedding!r} is not stored in this format")
        model = build_classifier(
            config.cell,
            vectors.vectors,
            config.hidden_size,
            trainable=False,
            generator=torch.Generator().manual_seed(0),
        )
        state = dict(payload["state"])
        state.update({k: v for k, v in model.state_dict().items() if k.startswith("embedding")})
        model.load_state_dict(state)  # strict: a missing, extra or reshaped weight is refused
        info = dict(payload.get("info", {}))
    except (KeyError, TypeError, ValueError, RuntimeError, InputError) as error:
        raise _refused(f"inconsistent review model ({error})") from None
    model.eval()
    model.requires_grad_(False)  # shared read-only between sessions: nothing may train it
    return PretrainedReviews(model, vectors.vocab, config, info)


def _refused(detail: str) -> InputError:
    return InputError(Problem("problem.review_checkpoint", detail, {"detail": detail[:160]}))
