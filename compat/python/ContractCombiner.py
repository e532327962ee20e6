"""A combiner: aggregate(features_list, feature_names_list) averages numeric inputs and joins string
inputs, with tags() and a COUNTER metric. No seldon_core import."""
import numpy as np


class ContractCombiner(object):
    def aggregate(self, features_list, feature_names_list):
        if all(isinstance(f, str) for f in features_list):
            return "+".join(features_list)
        if all(isinstance(f, dict) for f in features_list):
            return {"inputs": features_list, "names": [list(n) for n in feature_names_list]}
        return np.mean(np.array(features_list, dtype=float), axis=0)

    def tags(self):
        return {"combiner": "mean"}

    def metrics(self):
        return [{"type": "COUNTER", "key": "combiner_calls", "value": 2, "tags": {"kind": "mean"}}]
