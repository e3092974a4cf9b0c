"""The word level: tokens round-trip (unknown words included), a model learns a small generated
language better than its unigram, honest bits per character, and decoding keeps to what it allows."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.problems import InputError
from app.engine.words.corpus import Spelling, make_word_corpus
from app.engine.words.run import WordConfig, WordRun, held_out, next_word_probabilities
from app.engine.words.sampling import WordSampleConfig, allowed_distribution, choose, generate
from app.engine.words.tokens import (
    PAD,
    UNK,
    canonical,
    coverage,
    fit_vocabulary,
    readable,
    tokenize,
)

TEXT = st.text(alphabet="abcdeéçãõ xyz.,!?'()_=\n\tN'T", max_size=80)


@given(TEXT)
@settings(max_examples=60, deadline=None)
def test_canonical_text_tokenises_back_to_the_same_tokens(text: str) -> None:
    tokens = tokenize(text)
    assert tokenize(canonical(tokens)) == tokens
    assert all(token and not any(c.isspace() for c in token) for token in tokens)


def test_tokens_keep_accents_negation_and_code() -> None:
    assert tokenize("Não é   ruim, isn't it?") == ["não", "é", "ruim", ",", "is", "n't", "it", "?"]
    assert tokenize("def f(x_1): return x") == [
        "def", "f", "(", "x", "_", "1", ")", ":", "return", "x",
    ]  # fmt: skip
    assert readable(["the", "film", "is", "n't", "good", ".", "(", "really", ")"]) == (
        "the film isn't good. (really)"
    )


def test_vocabulary_round_trip_turns_only_unknown_words_into_unk() -> None:
    vocab = fit_vocabulary(tokenize("a a a b b c"), size=4)  # <pad>, <unk>, a, b
    tokens = tokenize("a b c zebra a")
    ids = vocab.encode(tokens)
    assert list(ids) == [2, 3, UNK, UNK, 2]
    assert vocab.decode(ids) == ["a", "b", "<unk>", "<unk>", "a"]
    assert coverage(vocab, tokens) == pytest.approx(3 / 5)


SUBJECTS = {"the cat": "sleeps", "the cats": "sleep", "a dog": "runs", "the dogs": "run"}
OBJECTS = ("on the mat", "in the sun", "at home", "all day")


def generated_words(sentences: int = 2500, seed: int = 0) -> list[str]:
    """A small language with agreement (a singular subject takes "sleeps"), so the previous words
    matter: a unigram cannot know what comes next, a recurrent model can."""
    rng = random.Random(seed)
    words: list[str] = []
    for _ in range(sentences):
        subject = rng.choice(list(SUBJECTS))
        words += f"{subject} {SUBJECTS[subject]} {rng.choice(OBJECTS)} .".split()
    return words


def small_run(**changes) -> WordRun:
    config = WordConfig(corpus="own", vocab_size=60, hidden_size=32, embedding_dim=16, **changes)
    return WordRun(config, make_word_corpus("own", generated_words(), config.vocab_size))


def test_the_model_learns_a_generated_language_well_below_its_unigram() -> None:
    torch.set_num_threads(1)
    run = small_run(seq_len=16, learning_rate=0.01)
    before = run.held_out()
    run.train(steps=150)
    after = held_out(run.model, run.corpus)
    assert after.bits_per_word < after.unigram_bits_per_word - 1.5
    assert after.bits_per_word < before.bits_per_word - 1.5
    assert run.history.array("val_bits")[~np.isnan(run.history.array("val_bits"))].size >= 2
    probs = next_word_probabilities(run.model, run.corpus.vocab.encode(["the", "cat"]))
    assert run.corpus.vocab.words[int(probs.argmax())] == "sleeps"  # the agreement it learned
    assert probs[PAD] == 0.0


def test_bits_per_char_count_every_character_and_spell_unknown_words() -> None:
    words = generated_words(400)
    words[-5] = "zebra"  # a held-out word the training part never had
    corpus = make_word_corpus("own", words, 60)
    result = held_out(small_run().model, corpus)
    scored = corpus.val_tokens[1:]
    assert result.chars == len(canonical(corpus.val_tokens)) - len(corpus.val_tokens[0])
    assert result.words == len(scored) and result.unknown == 1
    assert result.unknown_bits == pytest.approx(corpus.spelling.bits("zebra"))
    assert result.bits_per_char == pytest.approx(result.total_bits / result.chars)


def test_spelling_costs_more_for_longer_and_rarer_words() -> None:
    spelling = Spelling.fit(["aaa", "ab", "abc"])
    assert spelling.bits("aaaa") > spelling.bits("aaa") > 0
    assert spelling.bits("q") > spelling.bits("a")  # never seen: the smallest share


def test_sampling_near_zero_temperature_is_greedy() -> None:
    run = small_run()
    run.train(steps=30)
    vocab = run.corpus.vocab
    greedy = generate(run.model, vocab, WordSampleConfig(prompt="the dog", decoding="greedy"))
    for decoding in ("sampled", "top_k", "nucleus"):
        cold = WordSampleConfig(prompt="the dog", decoding=decoding, temperature=0.0001, seed=3)
        assert generate(run.model, vocab, cold).words == greedy.words
    assert generate(run.model, vocab, WordSampleConfig(seed=1)) == generate(
        run.model, vocab, WordSampleConfig(seed=1)
    )


@given(st.integers(1, 30), st.floats(0.05, 1.0), st.floats(0.2, 3.0), st.integers(0, 99))
@settings(max_examples=40, deadline=None)
def test_top_k_and_nucleus_draw_only_allowed_words(
    k: int, p: float, temperature: float, seed: int
) -> None:
    logits = np.random.default_rng(seed).normal(size=50) * 3
    top_k = allowed_distribution(
        logits, WordSampleConfig(decoding="top_k", top_k=k, temperature=temperature)
    )
    ranked = np.argsort(-logits[2:], kind="stable") + 2  # <pad> (0) and <unk> (1) never
    assert set(np.flatnonzero(top_k)) == set(ranked[:k])
    nucleus = allowed_distribution(
        logits, WordSampleConfig(decoding="nucleus", top_p=p, temperature=temperature)
    )
    kept = np.flatnonzero(nucleus)
    full = allowed_distribution(
        logits, WordSampleConfig(decoding="sampled", temperature=temperature)
    )
    ordered = np.sort(full)[::-1]
    # The fewest words whose mass reaches p: without the last one kept, the mass falls short.
    assert ordered[: len(kept)].sum() >= p - 1e-9
    assert ordered[: len(kept) - 1].sum() < p
    assert set(kept) == set(np.argsort(-full, kind="stable")[: len(kept)])
    for probs in (top_k, nucleus, full):
        assert probs.sum() == pytest.approx(1.0) and probs[PAD] == 0 and probs[UNK] == 0
    with_unknown = WordSampleConfig(decoding="sampled", allow_unknown=True)
    assert allowed_distribution(logits, with_unknown)[UNK] > 0


def test_a_draw_keeps_to_the_allowed_words() -> None:
    logits = np.random.default_rng(0).normal(size=50) * 3
    config = WordSampleConfig(decoding="top_k", top_k=3)
    allowed = set(np.flatnonzero(allowed_distribution(logits, config)))
    rng = np.random.default_rng(1)
    drawn = {choose(logits, config, rng) for _ in range(300)}
    assert drawn == allowed  # all three come up, nothing else does


def test_bad_settings_are_refused_with_reasons() -> None:
    with pytest.raises(InputError) as error:
        WordConfig(vocab_size=3, cell="transformer").check()
    assert {p.values["field"] for p in error.value.problems} == {"vocab_size", "cell"}
    with pytest.raises(InputError):
        WordSampleConfig(decoding="beam").check()
    with pytest.raises(InputError) as short:
        make_word_corpus("own", ["word"] * 10, 50)
    assert short.value.problems[0].key == "problem.words_short"


def test_the_word_models_live_sample_is_kept_like_the_character_models() -> None:
    """One idiom for both levels (NextTokenLearner.live_sample): the same step gives the same
    sample, and it says the step it was written at."""
    run = small_run()
    config = WordSampleConfig(length=5)
    first = run.live_sample(config, playing=True)
    assert run.live_sample(config, playing=False) is first and first.step == 0
    assert first.sample == generate(run.model, run.corpus.vocab, config)
    run.train(steps=1)
    assert run.live_sample(config, playing=True) is first  # a moment ago, while playing
    assert run.live_sample(config, playing=False).step == 1  # paused: the model as it is now
