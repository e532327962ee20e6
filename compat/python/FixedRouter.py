"""The Python twin of seldonj's fixed-router: always routes to child `child` (INT parameter)."""


class FixedRouter(object):
    def __init__(self, child=0):
        self.child = child

    def route(self, features, feature_names):
        return self.child
