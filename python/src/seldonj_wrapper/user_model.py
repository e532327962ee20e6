"""The user-class contract: the optional methods a model, router, transformer or combiner may define,
and how the wrapper calls them (Seldon's argument conventions)."""
import inspect
import logging
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

import numpy as np

from .errors import BAD_METRIC, SeldonMicroserviceException, SeldonNotImplementedError, is_not_implemented

logger = logging.getLogger(__name__)

Payload = Union[np.ndarray, List, Dict, str, bytes]


class SeldonResponse:
    """What a user method may return to add runtime ``tags`` and ``metrics`` to its data."""

    def __init__(self, data: Any, tags: Optional[Dict] = None, metrics: Optional[List[Dict]] = None):
        self.data = data
        self.tags = tags if tags is not None else {}
        self.metrics = metrics if metrics is not None else []

    @classmethod
    def create(cls, data: Any) -> "SeldonResponse":
        return data if isinstance(data, cls) or _looks_like_response(data) else cls(data)


def _looks_like_response(data: Any) -> bool:
    # a model written against Seldon's package returns Seldon's SeldonResponse: the same three fields
    return type(data).__name__ == "SeldonResponse" and all(hasattr(data, a) for a in ("data", "tags", "metrics"))


class SeldonComponent:
    """An optional base class; every method is optional and the defaults say "not implemented"."""

    def __init__(self, **kwargs):
        pass

    def load(self):
        pass

    def tags(self) -> Dict:
        raise SeldonNotImplementedError("tags is not implemented")

    def class_names(self) -> Iterable[str]:
        raise SeldonNotImplementedError("class_names is not implemented")

    def feature_names(self) -> Iterable[str]:
        raise SeldonNotImplementedError("feature_names is not implemented")

    def metrics(self) -> List[Dict]:
        raise SeldonNotImplementedError("metrics is not implemented")

    def predict(self, X, names, meta=None):
        raise SeldonNotImplementedError("predict is not implemented")

    def predict_raw(self, msg):
        raise SeldonNotImplementedError("predict_raw is not implemented")

    def transform_input(self, X, names, meta=None):
        raise SeldonNotImplementedError("transform_input is not implemented")

    def transform_input_raw(self, msg):
        raise SeldonNotImplementedError("transform_input_raw is not implemented")

    def transform_output(self, X, names, meta=None):
        raise SeldonNotImplementedError("transform_output is not implemented")

    def transform_output_raw(self, msg):
        raise SeldonNotImplementedError("transform_output_raw is not implemented")

    def route(self, features, feature_names):
        raise SeldonNotImplementedError("route is not implemented")

    def route_raw(self, msg):
        raise SeldonNotImplementedError("route_raw is not implemented")

    def aggregate(self, features_list, feature_names_list):
        raise SeldonNotImplementedError("aggregate is not implemented")

    def aggregate_raw(self, msgs):
        raise SeldonNotImplementedError("aggregate_raw is not implemented")

    def send_feedback(self, features, feature_names, reward, truth, routing):
        raise SeldonNotImplementedError("send_feedback is not implemented")

    def send_feedback_raw(self, feedback):
        raise SeldonNotImplementedError("send_feedback_raw is not implemented")

    def health_status(self):
        raise SeldonNotImplementedError("health is not implemented")

    def health_status_raw(self):
        raise SeldonNotImplementedError("health_raw is not implemented")

    def init_metadata(self) -> Dict:
        raise SeldonNotImplementedError("init_metadata is not implemented")


def _takes_meta(method: Callable) -> Optional[bool]:
    """Whether ``method(X, names, meta=...)`` is a valid call; None when the signature cannot be read."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return None
    params = signature.parameters.values()
    return any(p.kind == p.VAR_KEYWORD for p in params) or "meta" in signature.parameters


def validate_metrics(metrics: Any) -> bool:
    if not isinstance(metrics, list):
        return False
    for metric in metrics:
        if not isinstance(metric, dict) or not all(k in metric for k in ("key", "value", "type")):
            return False
        if metric["type"] not in ("COUNTER", "GAUGE", "TIMER"):
            return False
        try:
            metric["value"] + 1
        except TypeError:
            return False
    return True


def bad_metric(metrics: Any) -> SeldonMicroserviceException:
    try:
        text = __import__("json").dumps(metrics)
    except (TypeError, ValueError):
        text = repr(metrics)
    return SeldonMicroserviceException(f"Bad metric created during request: {text}", status_code=500,
                                       reason=BAD_METRIC)


class UserModel:
    """A user object with its optional methods looked up once, called the way Seldon's wrapper calls them."""

    def __init__(self, obj: Any):
        self.obj = obj
        self._meta_kw: Dict[str, Optional[bool]] = {}
        for name in ("predict", "transform_input", "transform_output", "route"):
            method = getattr(obj, name, None)
            if callable(method):
                self._meta_kw[name] = _takes_meta(method)

    def has(self, name: str) -> bool:
        return hasattr(self.obj, name)

    def _call_with_meta(self, name: str, features: Any, names: Iterable[str], meta: Optional[Dict]) -> Any:
        method = getattr(self.obj, name)
        takes = self._meta_kw.get(name)
        if takes is True:
            return method(features, names, meta=meta)
        if takes is False:
            return method(features, names)
        try:  # an unreadable signature: Seldon's way, try with meta then without
            return method(features, names, meta=meta)
        except TypeError:
            return method(features, names)

    def _optional(self, name: str, features: Any, names: Iterable[str], meta: Optional[Dict], default: Any) -> SeldonResponse:
        if self.has(name):
            try:
                return SeldonResponse.create(self._call_with_meta(name, features, names, meta))
            except Exception as e:  # noqa: BLE001 - only "not implemented" falls back
                if not is_not_implemented(e):
                    raise
        return SeldonResponse.create(default)

    def predict(self, features, names, meta) -> SeldonResponse:
        return self._optional("predict", features, names, meta, [])

    def transform_input(self, features, names, meta) -> SeldonResponse:
        return self._optional("transform_input", features, names, meta, features)

    def transform_output(self, features, names, meta) -> SeldonResponse:
        return self._optional("transform_output", features, names, meta, features)

    def route(self, features, names, meta) -> SeldonResponse:
        if not self.has("route"):
            raise SeldonNotImplementedError("Route not defined")
        return SeldonResponse.create(self._call_with_meta("route", features, names, meta))

    def aggregate(self, features_list, names_list) -> SeldonResponse:
        if not self.has("aggregate"):
            raise SeldonNotImplementedError("Aggregate not defined")
        return SeldonResponse.create(self.obj.aggregate(features_list, names_list))

    def send_feedback(self, features, names, reward, truth, routing) -> SeldonResponse:
        if self.has("send_feedback"):
            try:
                return SeldonResponse.create(self.obj.send_feedback(features, names, reward, truth, routing=routing))
            except Exception as e:  # noqa: BLE001
                if not is_not_implemented(e):
                    raise
        return SeldonResponse.create(None)

    def health_status(self) -> Any:
        if not self.has("health_status"):
            return "healthy"
        try:
            return self.obj.health_status()
        except Exception as e:  # noqa: BLE001
            if is_not_implemented(e):
                return "not implemented - assuming healthy"
            raise

    def raw(self, name: str, *args) -> Any:
        """The ``*_raw`` method's answer, or NotImplemented when it is missing or says so."""
        method = getattr(self.obj, name, None)
        if method is None:
            return NotImplemented
        try:
            return method(*args)
        except Exception as e:  # noqa: BLE001
            if is_not_implemented(e):
                return NotImplemented
            raise

    def tags(self) -> Dict:
        if self.has("tags"):
            try:
                return self.obj.tags() or {}
            except Exception as e:  # noqa: BLE001
                if not is_not_implemented(e):
                    raise
        return {}

    def metrics(self) -> Optional[List[Dict]]:
        """The model's ``metrics()``, validated; None when it has none."""
        if not self.has("metrics"):
            return None
        try:
            metrics = self.obj.metrics()
        except Exception as e:  # noqa: BLE001
            if is_not_implemented(e):
                return None
            raise
        if not validate_metrics(metrics):
            raise bad_metric(metrics)
        return metrics

    def class_names(self, predictions: np.ndarray) -> List[str]:
        if len(predictions.shape) <= 1:
            return []
        names = self._names("class_names")
        return names if names is not None else [f"t:{i}" for i in range(predictions.shape[1])]

    def feature_names(self, original: Iterable[str]) -> List[str]:
        names = self._names("feature_names")
        return names if names is not None else list(original)

    def _names(self, name: str) -> Optional[List[str]]:
        """``class_names`` / ``feature_names``: a method (which may say "not implemented") or an attribute."""
        attribute = getattr(self.obj, name, None)
        if attribute is None:
            return None
        if not callable(attribute):
            return list(attribute)
        try:
            return list(attribute())
        except Exception as e:  # noqa: BLE001
            if not is_not_implemented(e):
                raise
        return None

    def init_metadata(self) -> Dict:
        if not self.has("init_metadata"):
            return {}
        try:
            meta = self.obj.init_metadata()
        except Exception as e:  # noqa: BLE001
            if is_not_implemented(e):
                return {}
            raise
        if not isinstance(meta, dict):
            logger.error("init_metadata must return a dict, not %s", type(meta).__name__)
            return {}
        return meta

    def load(self) -> None:
        load = getattr(self.obj, "load", None)
        if callable(load):
            try:
                load()
            except NotImplementedError:
                pass
