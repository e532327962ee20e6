"""A model that uses the whole user-class contract of Seldon's Python wrapper, for wrapper-to-wrapper
parity tests. It imports neither seldon_core nor seldonj_wrapper, so it runs unchanged under both.

- __init__ takes typed parameters (PREDICTIVE_UNIT_PARAMETERS): factor (FLOAT), label (STRING);
- load() is called by the wrapper before serving (it shows in tags() and health_status());
- predict(X, features_names, **kwargs) receives meta in kwargs: numeric arrays are scaled by factor,
  jsonData comes back with the meta and names it arrived with, strData and binData are echoed with a mark;
- tags(), metrics() (a COUNTER with tags, a GAUGE, a TIMER without tags), class_names(), feature_names();
- send_feedback(features, feature_names, reward, truth, routing) answers what it received;
- health_status() and init_metadata().
"""
import numpy as np


class ContractModel(object):
    def __init__(self, factor=2.0, label="contract"):
        self.factor = factor
        self.label = label
        self.loaded = False

    def load(self):
        self.loaded = True

    def predict(self, X, features_names, **kwargs):
        meta = kwargs.get("meta")
        if isinstance(X, np.ndarray) and np.issubdtype(X.dtype, np.number):
            return X * self.factor
        if isinstance(X, np.ndarray):
            return X
        if isinstance(X, dict):
            return {"echo": X, "meta": meta if meta is not None else {}, "names": list(features_names or [])}
        if isinstance(X, (bytes, bytearray)):
            return b"model:" + bytes(X)
        return "%s:%s" % (self.label, X)

    def tags(self):
        return {"model": self.label, "loaded": self.loaded}

    def metrics(self):
        return [
            {"type": "COUNTER", "key": "contract_requests", "value": 1, "tags": {"unit": "requests"}},
            {"type": "GAUGE", "key": "contract_gauge", "value": 42.5},
            {"type": "TIMER", "key": "contract_timer", "value": 20.5},
        ]

    def class_names(self):
        return ["c0", "c1", "c2"]

    def feature_names(self):
        return ["f0", "f1", "f2"]

    def send_feedback(self, features, feature_names, reward, truth, routing=None):
        truth_sum = float(np.sum(truth)) if isinstance(truth, np.ndarray) and truth.size else 0.0
        return [[float(reward), truth_sum, -1.0 if routing is None else float(routing)]]

    def health_status(self):
        return {"healthy": self.loaded, "label": self.label}

    def init_metadata(self):
        return {
            "name": "contract-model",
            "versions": ["v1.2"],
            "platform": "seldonj-compat",
            "inputs": [{"messagetype": "tensor", "schema": {"names": ["a", "b"], "shape": [2]}}],
            "outputs": [{"messagetype": "ndarray", "schema": {"names": ["c0", "c1", "c2"]}}],
            "custom": {"author": "compat", "purpose": "parity"},
        }
