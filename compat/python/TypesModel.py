"""A model returning every payload type the wrapper must encode. A strData request names the answer:
"str", "dict", "bytes", "strings" (a list of strings), "np-strings", "mixed" (a list of numbers and
strings), "nested" (a list of lists of strings), "empty" (an empty list), "int", "float" (a Python
number: not a payload), "none", "np-int" (an integer numpy array), "np-bool", "unicode". Any other
request is answered as it came (ndarray and tensor data, jsonData, binData). No seldon_core import."""
import numpy as np


class TypesModel(object):
    def predict(self, X, features_names):
        if not isinstance(X, str):
            return X
        answers = {
            "str": lambda: "a string",
            "dict": lambda: {"b": [1, 2.5, "x"], "a": {"nested": True, "none": None}},
            "bytes": lambda: b"\x00\x01binary\xff",
            "strings": lambda: ["alpha", "beta", "gamma"],
            "np-strings": lambda: np.array([["a", "b"], ["c", "d"]]),
            "mixed": lambda: [1, "two", 3.5],
            "nested": lambda: [["a", "b"], ["c", "d"]],
            "empty": lambda: [],
            "int": lambda: 5,
            "float": lambda: 2.5,
            "none": lambda: None,
            "np-int": lambda: np.array([[1, 2], [3, 4]], dtype=np.int64),
            "np-bool": lambda: np.array([True, False]),
            "unicode": lambda: "h\u00e9llo \u2603 \U0001F600",
        }
        if X in answers:
            return answers[X]()
        return X

    def health_status(self):
        return [[1, 2], [3, 4]]
