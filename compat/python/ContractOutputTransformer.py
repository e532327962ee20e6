"""An output transformer: transform_output(X, feature_names, meta=None) scales numeric data by ten,
reverses strings and wraps jsonData with the meta it received; tags() and a TIMER metric. No
seldon_core import."""
import numpy as np


class ContractOutputTransformer(object):
    def transform_output(self, X, feature_names, meta=None):
        if isinstance(X, np.ndarray) and np.issubdtype(X.dtype, np.number):
            return X * 10
        if isinstance(X, dict):
            return {"output": X, "meta": meta, "names": list(feature_names or [])}
        if isinstance(X, str):
            return X[::-1]
        return X

    def tags(self):
        return {"transformer": "output"}

    def metrics(self):
        return [{"type": "TIMER", "key": "output_transform_ms", "value": 7.25}]
