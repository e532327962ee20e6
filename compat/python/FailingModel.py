"""A component whose methods raise, for error parity: predict raises ValueError naming its input,
transform_input a KeyError, send_feedback a RuntimeError, route a ZeroDivisionError, aggregate a
TypeError and health_status an Exception. No seldon_core import."""


import json


class FailingModel(object):
    def predict(self, X, features_names):
        # sorted: the order of a jsonData object's keys as the model sees them is the protobuf runtime's
        shown = json.dumps(X, sort_keys=True) if isinstance(X, dict) else X
        raise ValueError("boom: cannot predict %s" % (shown,))

    def transform_input(self, X, features_names):
        raise KeyError("missing-key")

    def transform_output(self, X, features_names):
        raise AttributeError("no attribute here")

    def send_feedback(self, features, feature_names, reward, truth, routing=None):
        raise RuntimeError("feedback failed")

    def route(self, features, feature_names):
        return 1 // 0

    def aggregate(self, features_list, feature_names_list):
        raise TypeError("cannot aggregate")

    def health_status(self):
        raise Exception("unhealthy")
