"""A model that answers, as jsonData, the typed parameters the wrapper passed to its constructor
(PREDICTIVE_UNIT_PARAMETERS: INT, FLOAT, DOUBLE, STRING, BOOL), with each value's Python type. No
seldon_core import."""


class ParamsModel(object):
    def __init__(self, int_p=-1, float_p=-1.5, double_p=-2.5, str_p="default", bool_p=None, **others):
        self.values = {"int_p": int_p, "float_p": float_p, "double_p": double_p, "str_p": str_p, "bool_p": bool_p}
        self.values.update(others)

    def predict(self, X, features_names):
        return {name: {"type": type(value).__name__, "value": value} for name, value in self.values.items()}
