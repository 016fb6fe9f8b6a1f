"""Tests for mlsd.text_metrics: exact match, token F1, BLEU, ROUGE on hand-computed cases."""

import math

import pytest

from mlsd.text_metrics import bleu, exact_match, lcs_length, ngrams, rouge_l, rouge_n, token_f1, tokens


def test_tokens_normalise_case_punctuation_and_articles():
    assert tokens("The Eiffel Tower, in Paris!") == ["eiffel", "tower", "in", "paris"]
    assert tokens("") == []


def test_exact_match_after_normalisation_and_over_references():
    assert exact_match("the Paris.", "Paris") == 1.0
    assert exact_match("Paris, France", "Paris") == 0.0
    assert exact_match("Lyon", ["Paris", "lyon"]) == 1.0


def test_token_f1_hand_computed():
    # candidate: paris is capital (3), reference: capital of france is paris (5); shared 3.
    p, r = 3 / 3, 3 / 5
    assert token_f1("Paris is the capital", "The capital of France is Paris") == pytest.approx(2 * p * r / (p + r))
    assert token_f1("Berlin", "Paris") == 0.0
    assert token_f1("x y", ["z", "x y"]) == 1.0
    # Repeated tokens count with multiplicity: "dog dog" vs "dog": P = 1/2, R = 1.
    assert token_f1("dog dog", "dog") == pytest.approx(2 / 3)


def test_ngrams_counts():
    assert ngrams(["x", "y", "x", "y"], 2) == {("x", "y"): 2, ("y", "x"): 1}
    assert ngrams(["x"], 2) == {}


def test_bleu_identical_is_one_and_hand_computed_case():
    assert bleu("cats sit on mats", "cats sit on mats") == pytest.approx(1.0)
    # cand: cat mat (2 tokens), ref: cat sat on mat (4 tokens), max_n = 2.
    # p1 = 2/2; p2 = (0 + 1) / (1 + 1) = 1/2 (smoothed); BP = exp(1 - 4/2).
    expected = math.exp(1 - 2) * math.exp((math.log(1.0) + math.log(0.5)) / 2)
    assert bleu("cat mat", "cat sat on mat", max_n=2) == pytest.approx(expected)


def test_bleu_clips_repeated_words():
    # "on on on on" against "cat on mat": unigram precision clipped to 1/4.
    assert bleu("on on on on", "cat on mat", max_n=1) == pytest.approx(0.25)
    assert bleu("", "cat") == 0.0
    assert bleu("dog", "cat") == 0.0


def test_rouge_n_and_l_hand_computed():
    assert rouge_n("x y z", "x y w", n=2) == pytest.approx(0.5)   # bigrams xy, yw: xy matches
    assert rouge_n("x y z", "x y w", n=1) == pytest.approx(2 / 3)
    assert lcs_length(list("wxyz"), list("wyzx")) == 3
    # LCS of "w x y z" and "w y z x" is 3: P = R = 3/4.
    assert rouge_l("w x y z", "w y z x") == pytest.approx(0.75)
    assert rouge_l("q", "w") == 0.0


def test_paraphrase_scores_low_and_word_copy_scores_high():
    ref = "The meeting was moved to Friday"
    paraphrase = "It now happens on Friday instead"
    wrong_copy = "The meeting was moved to Monday"
    assert token_f1(wrong_copy, ref) > token_f1(paraphrase, ref)
    assert rouge_l(wrong_copy, ref) > rouge_l(paraphrase, ref)
    assert bleu(wrong_copy, ref) > bleu(paraphrase, ref)


def test_bad_input():
    with pytest.raises(TypeError, match="candidate"):
        token_f1(3, "x")
    with pytest.raises(ValueError, match="references"):
        bleu("x", [])
    with pytest.raises(TypeError, match=r"references\[1\]"):
        exact_match("x", ["x", None])
    with pytest.raises(ValueError, match="max_n"):
        bleu("x", "x", max_n=0)
    with pytest.raises(ValueError, match="n must"):
        rouge_n("x", "x", n=0)
    with pytest.raises(TypeError, match="text"):
        tokens(None)
