"""The sentiment engine: text to ids and back, padding, metrics against confusion matrices counted
by hand, classifiers that learn, the imbalance remedies, and a config that refuses bad values."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.problems import InputError
from app.engine.sentiment.corpus import load_corpus, with_positive_share
from app.engine.sentiment.glove import load_glove
from app.engine.sentiment.metrics import confusion, precision_recall_curve, rare_class, scores
from app.engine.sentiment.reading import PROBES, read, score_probes
from app.engine.sentiment.remedies import compare_remedies
from app.engine.sentiment.run import SentimentConfig, SentimentRun
from app.engine.sentiment.tokens import PAD, UNK, Vocabulary, pad, tokenize, truncated_count


@pytest.fixture(scope="module")
def vectors():
    return load_glove()


@pytest.fixture(scope="module")
def corpus(vectors):
    return load_corpus("rt", vectors.vocab)


def test_tokens_are_lower_case_words_with_negation_and_punctuation() -> None:
    assert tokenize("It DOESN'T work,<br />really!") == [
        "it",
        "does",
        "n't",
        "work",
        ",",
        "really",
        "!",
    ]
    assert tokenize("the film's end") == ["the", "film", "'s", "end"]


def test_encode_decode_round_trip_and_unknown_words() -> None:
    vocab = Vocabulary(("good", "film"))
    assert vocab.words[:2] == ("<pad>", "<unk>") and vocab.id("<pad>") == PAD
    ids = vocab.encode(tokenize("Good film, zyzzyva"))
    assert list(ids) == [2, 3, UNK, UNK]  # "," and the made-up word are not in this vocabulary
    assert vocab.decode(ids) == ["good", "film", "<unk>", "<unk>"]
    assert vocab.decode(vocab.encode(["film", "good"])) == ["film", "good"]


def test_padding_keeps_each_text_and_its_length() -> None:
    texts = [np.array([5, 6, 7]), np.array([8]), np.array([], dtype=np.int64), np.arange(2, 12)]
    ids, lengths = pad(texts, max_len=4)
    assert ids.shape == (4, 4) and lengths.tolist() == [3, 1, 1, 4]
    assert ids[0].tolist() == [5, 6, 7, PAD]
    assert ids[1].tolist() == [8, PAD, PAD, PAD]
    assert ids[2].tolist() == [UNK, PAD, PAD, PAD]  # an empty text reads one <unk>
    assert ids[3].tolist() == [2, 3, 4, 5]  # truncated: its first four ids
    for row, length in zip(ids, lengths, strict=True):  # padding only after the real ids
        assert (row[:length] != PAD).all() and (row[length:] == PAD).all()
    assert truncated_count(np.array([3, 1, 0, 10]), 4) == 1


def test_confusion_and_scores_against_counts_by_hand() -> None:
    labels = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    predicted = np.array([1, 1, 1, 0, 1, 1, 0, 0, 0, 0])
    matrix = confusion(labels, predicted)
    assert matrix.tolist() == [[4, 2], [1, 3]]  # rows true (0, 1), columns predicted
    positive = scores(matrix)
    assert positive.accuracy == pytest.approx(7 / 10)
    assert positive.precision == pytest.approx(3 / 5)
    assert positive.recall == pytest.approx(3 / 4)
    assert positive.f1 == pytest.approx(2 * 0.6 * 0.75 / (0.6 + 0.75))
    negative = scores(matrix, positive=0)
    assert (negative.precision, negative.recall) == pytest.approx((4 / 5, 4 / 6))
    # A model that never says positive: precision has nothing to count and is 0, as is F1.
    never = scores(confusion(labels, np.zeros(10, dtype=np.int64)))
    assert (never.accuracy, never.precision, never.recall, never.f1) == (0.6, 0.0, 0.0, 0.0)
    assert rare_class(labels) == 1 and rare_class(1 - labels) == 0


def test_precision_recall_curve_by_hand() -> None:
    labels = np.array([1, 0, 1, 0])
    probabilities = np.array([0.9, 0.8, 0.4, 0.1])
    thresholds, precision, recall = precision_recall_curve(labels, probabilities)
    assert thresholds.tolist() == [0.9, 0.8, 0.4, 0.1]
    assert precision.tolist() == pytest.approx([1, 1 / 2, 2 / 3, 2 / 4])
    assert recall.tolist() == pytest.approx([1 / 2, 1 / 2, 1, 1])


def test_split_is_fixed_stratified_and_disjoint(corpus) -> None:
    again = load_corpus("rt", corpus.vocab)
    assert np.array_equal(corpus.held_out_index, again.held_out_index)
    assert not set(corpus.train_index) & set(corpus.held_out_index)
    assert len(corpus.train_index) + len(corpus.held_out_index) == len(corpus) == 8530
    assert corpus.labels[corpus.held_out_index].mean() == pytest.approx(0.5)


def test_positive_share_by_subsampling(corpus) -> None:
    rng = np.random.default_rng(0)
    for share in (0.05, 0.2, 0.5, 0.9):
        kept = with_positive_share(corpus.train_index, corpus.labels, share, rng)
        assert corpus.labels[kept].mean() == pytest.approx(share, abs=0.002)
        assert set(kept) <= set(corpus.train_index)


def held_out_accuracy(config: SentimentConfig, corpus, vectors, steps: int) -> float:
    run = SentimentRun(config, corpus, vectors)
    run.train(steps=steps)
    return run.evaluation().positive.accuracy


@pytest.mark.parametrize(("cell", "steps"), [("mean", 300), ("lstm", 150)])
def test_baseline_and_lstm_learn_well_above_chance(cell: str, steps: int, corpus, vectors) -> None:
    torch.set_num_threads(1)
    accuracy = held_out_accuracy(SentimentConfig(cell=cell), corpus, vectors, steps)
    assert accuracy > 0.66, accuracy  # chance is 0.5 on the balanced held-out sentences


def test_same_config_and_seed_give_the_same_run(corpus, vectors) -> None:
    config = SentimentConfig(cell="gru", hidden_size=16, embedding="glove_tuned")
    first, second = SentimentRun(config, corpus, vectors), SentimentRun(config, corpus, vectors)
    first.train(steps=3)
    second.train(steps=3)
    assert first.history.array("loss").tolist() == second.history.array("loss").tolist()


def test_frozen_vectors_stay_and_scratch_vectors_are_not_glove(corpus, vectors) -> None:
    frozen = SentimentRun(SentimentConfig(cell="rnn", hidden_size=8), corpus, vectors)
    frozen.train(steps=2)
    assert torch.equal(frozen.model.embedding.weight, vectors.vectors)
    scratch = SentimentRun(SentimentConfig(embedding="scratch"), corpus, vectors)
    assert not torch.allclose(scratch.model.embedding.weight[2:], vectors.vectors[2:])


def test_every_remedy_raises_the_rare_class_f1(corpus, vectors) -> None:
    """Positives are 10% of training and held-out: untreated, the baseline hardly ever says
    positive; each remedy, over 3 seeds, finds far more of them."""
    config = SentimentConfig(cell="mean", positive_share=0.1)
    effect = compare_remedies(config, corpus, vectors, steps=100)
    assert effect.rare_label == 1
    untreated = effect.mean_rare_f1("none")
    for remedy in ("weights", "resample", "threshold"):
        assert effect.mean_rare_f1(remedy) > untreated + 0.1, (remedy, effect.rare_f1)


def test_class_weights_and_threshold_follow_the_training_shares(corpus, vectors) -> None:
    run = SentimentRun(SentimentConfig(positive_share=0.2, remedy="weights"), corpus, vectors)
    assert run.train_positive_share == pytest.approx(0.2, abs=0.002)
    weights = run.model.class_weight.tolist()
    assert weights == pytest.approx([0.5 / 0.8, 0.5 / 0.2], rel=0.01)
    run.retune(replace(run.config, remedy="threshold"))  # a live setting: same model
    assert run.model.class_weight is None and run.threshold == pytest.approx(0.2, abs=0.002)
    run.retune(replace(run.config, remedy="resample"))
    _, labels = run.batch()
    assert 0.3 < labels.float().mean() < 0.7  # balanced batches from a 20/80 training set


def test_reading_word_by_word_ends_where_the_classifier_does(corpus, vectors) -> None:
    run = SentimentRun(SentimentConfig(), corpus, vectors)
    run.train(steps=5)
    text = "a gorgeous , moving film , though far too long"
    reading = read(run.model, corpus.vocab, text, max_len=50)
    assert reading.tokens == tuple(tokenize(text))
    ids = torch.from_numpy(corpus.vocab.encode(tokenize(text))).unsqueeze(0)
    with torch.no_grad():
        whole = float(torch.softmax(run.model(ids), -1)[0, 1])
    assert reading.final == pytest.approx(whole, abs=1e-6)
    assert reading.change.sum() == pytest.approx(reading.final - reading.before)
    assert len(score_probes(run.model, corpus.vocab, 0.5, 50)) == len(PROBES)


def test_config_refuses_bad_values_with_every_reason() -> None:
    with pytest.raises(InputError) as error:
        SentimentConfig(cell="transformer", positive_share=0.99, max_len=0).check()
    keys = {(p.key, p.values["field"]) for p in error.value.problems}
    assert keys == {
        ("problem.choice", "cell"),
        ("problem.range", "positive_share"),
        ("problem.range", "max_len"),
    }
