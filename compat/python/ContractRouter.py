"""A router using the rest of the router contract: route(features, feature_names) picks the child named
by the first value of numeric data (else the INT parameter default_child), send_feedback sees the
routing the engine recorded, tags() and metrics() decorate the answers. No seldon_core import."""
import numpy as np


class ContractRouter(object):
    def __init__(self, default_child=0):
        self.default_child = default_child

    def route(self, features, feature_names):
        if isinstance(features, np.ndarray) and features.size and np.issubdtype(features.dtype, np.number):
            return int(features.ravel()[0])
        return self.default_child

    def send_feedback(self, features, feature_names, reward, truth, routing=None):
        return [[float(reward), -1.0 if routing is None else float(routing)]]

    def tags(self):
        return {"router": "contract"}

    def metrics(self):
        return [{"type": "COUNTER", "key": "router_calls", "value": 1}]
