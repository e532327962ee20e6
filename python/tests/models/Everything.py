"""Implements every optional method of the user-class contract (no imports from any wrapper)."""
import numpy as np


class Everything:
    def __init__(self, scale=1, label="x", enabled=False, ratio=0.5):
        self.scale, self.label, self.enabled, self.ratio = scale, label, enabled, ratio
        self.loaded = False

    def load(self):
        self.loaded = True

    def predict(self, X, features_names, meta=None):
        if isinstance(X, np.ndarray) and X.dtype.kind in "if":
            return X * self.scale
        return X

    def transform_input(self, X, names, meta=None):
        return X + 1 if isinstance(X, np.ndarray) and X.dtype.kind in "if" else X

    def transform_output(self, X, names):
        return X * 10 if isinstance(X, np.ndarray) and X.dtype.kind in "if" else X

    def route(self, X, names):
        return 1

    def aggregate(self, Xs, names_list):
        return np.mean(np.array([np.asarray(x, dtype=float) for x in Xs]), axis=0)

    def send_feedback(self, features, feature_names, reward, truth, routing=None):
        return [[reward, -1 if routing is None else routing]]

    def tags(self):
        return {"loaded": self.loaded, "label": self.label}

    def metrics(self):
        return [{"type": "COUNTER", "key": "my_counter", "value": 1},
                {"type": "GAUGE", "key": "my_gauge", "value": 3.5, "tags": {"kind": "g"}},
                {"type": "TIMER", "key": "my_timer", "value": 20}]

    def class_names(self):
        return [f"c{i}" for i in range(2)]

    def health_status(self):
        return {"ok": True, "scale": self.scale}

    def init_metadata(self):
        return {"name": "everything", "versions": ["v7"], "inputs": [{"messagetype": "ndarray", "schema": {"names": ["a", "b"]}}]}
