"""The checks of the exercises: right answers pass, blanks are 'not done yet', wrong ones say why."""

from __future__ import annotations

import numpy as np
import pytest

from ottools import exercises as ex


def test_blank_is_not_done_yet(capsys):
    assert ex.check("P", ..., ex.close(np.eye(2))) is False
    assert "not done yet" in capsys.readouterr().out


def test_right_answer(capsys, rng):
    ref = rng.normal(size=(4, 5))
    assert ex.check("P", ref + 1e-12, ex.shape((4, 5)), ex.close(ref, rtol=1e-9, atol=1e-9)) is True
    assert "right" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", [
    (lambda r: 2.5 * r, "constant factor: it is 2.5 times"),
    (lambda r: -r, "sign"),
    (lambda r: r.T, "transposed"),
    (lambda r: r.ravel(), "shape (16,)"),
    (lambda r: r[::-1], "another order"),
    (lambda r: np.where(np.eye(4, dtype=bool), np.nan, r), "NaN"),
    (lambda r: r + 0.1, "not close enough"),
    (lambda r: r > 0, "booleans"),
    (lambda r: "P", "expected numbers"),
])
def test_wrong_answers_say_what_is_wrong(rng, wrong, hint):
    ref = rng.normal(size=(4, 4))
    with pytest.raises(ex.ExerciseError, match="P: ") as info:
        ex.check("P", wrong(ref), ex.close(ref, rtol=1e-9))
    assert hint in str(info.value)
    # the hint never prints the expected entries
    assert not any(f"{v:.3f}" in str(info.value) for v in ref.ravel() if abs(v) > 0.05)


def test_a_failing_check_is_an_assertion():
    # in the tours, a solution that fails its check fails the tour's tests like an assert
    assert issubclass(ex.ExerciseError, AssertionError)


def test_probability_and_coupling(rng):
    a, b = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(4))
    P = np.outer(a, b)
    assert ex.probability()(a) is None
    assert "sum to 3" in ex.probability()(3 * a)
    assert "negative" in ex.probability()(a - 0.5)
    assert ex.coupling(a, b)(P) is None
    assert "multiple of a" in ex.coupling(a, b)(2 * P)
    assert "transposed" in ex.coupling(a, b)(P.T)
    Q = P.copy()  # move half of column 1 to column 0 in every row: rows still sum to a, columns do not
    Q[:, 0] += 0.5 * b[1] * a
    Q[:, 1] -= 0.5 * b[1] * a
    assert "columns" in ex.coupling(a, b)(Q)


def test_permutation_image_between_that(rng):
    assert ex.permutation(5)(rng.permutation(5)) is None
    assert "not a permutation" in ex.permutation(5)(np.array([0, 1, 1, 3, 4]))
    assert "integer" in ex.permutation(5)(np.arange(5.0))
    assert ex.image()(rng.random((4, 5, 3))) is None
    assert "clip" in ex.image()(1.5 * np.ones((4, 5)))
    assert "(H, W, 3)" in ex.image()(rng.random((4, 5, 4)))
    assert ex.between(0, 1)(0.3) is None and "outside" in ex.between(0, 1)(1.3)
    assert ex.that(lambda v: v > 0, "positive")(-1) == "positive"
    assert "raised" in ex.that(lambda v: v.shape == (2,), "an array")(3.0)


def test_scalars(rng):
    x = float(rng.normal()) + 3.0
    assert ex.close(x)(x * (1 + 1e-9)) is None
    assert "relative error" in ex.close(x)(1.25 * x)  # for one number a 'factor' says nothing
    assert ex.scalar()(np.float64(x)) is None
    assert "one number" in ex.scalar()(np.ones(2))
