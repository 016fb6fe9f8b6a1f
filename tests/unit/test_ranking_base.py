"""Tests for what the click models share: names, checks, the base-rate start."""

import inspect
import math

import pytest

from mlsd.ranking import DCN, GBDT, ClickModel, FactorizationMachine, LogisticRegression
from mlsd.ranking.base import base_rate_logit, check_sgd_params, sigmoid, training_data

MODELS = (LogisticRegression, FactorizationMachine, DCN, GBDT)


def test_every_model_names_the_shared_hyperparameters_alike():
    for model in MODELS:
        params = inspect.signature(model).parameters
        assert "learning_rate" in params and "l2" in params, model.__name__
        assert not {"lr", "lambda_l2", "k", "hidden"} & set(params), model.__name__
        assert issubclass(model, ClickModel)


@pytest.mark.parametrize("model", MODELS)
def test_every_model_rejects_bad_shared_hyperparameters_with_the_same_message(model):
    with pytest.raises(ValueError, match="^learning_rate must be > 0, got 0.0"):
        model(learning_rate=0)
    with pytest.raises(ValueError, match="^l2 must be >= 0, got -1.0"):
        model(l2=-1)
    with pytest.raises(TypeError, match="^l2 must be a number"):
        model(l2="big")


def test_check_sgd_params():
    assert check_sgd_params(0.1, 0, 2, 7) == (0.1, 0.0, 2, 7)
    with pytest.raises(ValueError, match="^epochs must be a positive integer"):
        check_sgd_params(0.1, 0.0, 0, 0)
    with pytest.raises(TypeError, match="^seed must be an integer"):
        check_sgd_params(0.1, 0.0, 1, 1.5)


def test_base_rate_logit_and_sigmoid_invert_each_other():
    assert sigmoid(base_rate_logit([0, 0, 0, 1])) == pytest.approx(0.25)
    assert math.isfinite(base_rate_logit([0, 0]))          # clipped, not -inf
    assert sigmoid(base_rate_logit([1, 1], clip=1e-12)) == pytest.approx(1 - 1e-12)
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0


def test_training_data_checks_one_label_per_row():
    rows, width, labels = training_data([[1.0, 0.0], {3: 2.0}], [0, 1])
    assert width == 4 and labels == [0, 1] and rows[1] == {3: 2.0}
    with pytest.raises(ValueError, match="^X and y must have the same length, got 2 and 1"):
        training_data([[1.0], [2.0]], [1])


def test_predict_proba_is_the_sigmoid_of_the_logit():
    X = [[float(i % 3), float(i % 5)] for i in range(200)]
    y = [int(a + b > 3) for a, b in X]
    for model in (LogisticRegression(), FactorizationMachine(), DCN(), GBDT(min_data_in_leaf=5)):
        model.fit(X, y)
        z, p = model.decision_function(X[:5]), model.predict_proba(X[:5])
        assert p == [sigmoid(v) for v in z]
