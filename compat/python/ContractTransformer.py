"""A transformer using transform_input(X, feature_names, **kwargs) with meta, tags() and metrics():
numeric data plus one, strings upper-cased, jsonData wrapped with the meta. No seldon_core import."""
import numpy as np


class ContractTransformer(object):
    def transform_input(self, X, feature_names, **kwargs):
        meta = kwargs.get("meta")
        if isinstance(X, np.ndarray) and np.issubdtype(X.dtype, np.number):
            return X + 1
        if isinstance(X, np.ndarray):
            return np.char.upper(X.astype(str))
        if isinstance(X, dict):
            return {"transformed": X, "meta": meta if meta is not None else {}}
        if isinstance(X, str):
            return X.upper()
        return X

    def tags(self):
        return {"transformer": "input"}

    def metrics(self):
        return [{"type": "GAUGE", "key": "transformer_gauge", "value": 3, "tags": {"stage": "input"}}]
