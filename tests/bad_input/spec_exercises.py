"""Bad-input cases of ottools.exercises (the checks of the tours' exercises).

The answer checked by ``check`` may be anything the reader wrote (that is the point of a check), so
``value`` is not varied; the references and parameters of the tests are.
"""

import numpy as np
from kinds import Arg, array, case, count, real, shape, weights

from ottools import exercises

_REF = np.array([[0.1, 0.2], [0.3, 0.4]])


def _tests():
    return Arg(exercises.scalar(), [], [("int", 3), ("string", "close")], positional=True)


CASES = [
    # check(name, value, *tests): a wrong test is refused before the answer is looked at
    case(
        exercises.check,
        name=Arg("x", [("other name", "area")], [("None", None), ("int", 3), ("empty", "")], positional=True),
        value=Arg(0.5, [("blank", ...), ("numpy float", np.float64(0.5))], [], positional=True),
        tests=_tests(), _check_output=False),
    case(exercises.close, expected=array(_REF, ndim_bad=False).but(
        drop=("complex",), good=[("complex", _REF + 1j), ("scalar", 2.0)]),
        rtol=real(1e-7, minimum=0.0), atol=real(0.0, minimum=0.0), _check_output=False),
    case(exercises.shape, expected=shape((2, 3), huge=False, ndim_bad=False).but(
        good=[("scalar shape", ())]), _check_output=False),
    case(exercises.scalar, _check_output=False),
    case(exercises.probability, axis=Arg(None, [("int", 0), ("negative", -1)],
                                                            [("float", 0.5), ("bool", True), ("string", "rows")]),
                             _check_output=False),
    # a and b set the coupling's shape: no length of one is wrong for the other
    case(exercises.coupling, a=weights(3, allow_none=False).but(drop=("wrong length",)),
         b=weights(4, allow_none=False).but(drop=("wrong length",)),
                             atol=real(1e-9, minimum=0.0), _check_output=False),
    case(exercises.permutation, n=count(5, huge=False), _check_output=False),
    case(exercises.image, shape=Arg(None, [("grey", (4, 5)), ("colour", (4, 5, 3))],
                                                        [("1-d", (4,)), ("negative", (4, -5)), ("string", "4x5"),
                                                         ("float", (4.5, 5))]),
                             _check_output=False),
    case(exercises.between, low=real(0.0), high=real(1.0).but(bad=[("below low", -1.0)]),
                             _check_output=False),
    case(exercises.that, predicate=Arg(lambda v: v > 0, [], [("None", None), ("int", 3)]),
                             hint=Arg("positive", [], [("None", None), ("empty", ""), ("int", 3)]),
                             _check_output=False),
]
