"""A model whose predict takes the meta argument by name (predict(X, names, meta=None)), as Seldon's
SeldonComponent declares it; it answers the meta it received as jsonData. No seldon_core import."""


class MetaModel(object):
    def predict(self, X, names, meta=None):
        return {"meta": meta, "names": list(names) if names is not None else None, "kind": type(X).__name__}
