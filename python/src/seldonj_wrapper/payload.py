"""SeldonMessage payloads <-> what user methods see (numpy arrays, str, bytes, dict), for JSON (REST)
and protobuf (gRPC), with Seldon's rules for the answer's form: a numeric answer keeps the request's
DefaultData kind (tensor, ndarray, tftensor), a non-numeric one is an ndarray, and without DefaultData
in the request a numeric answer is a tensor. JSON keeps integers as integers, as Seldon's REST path does."""
import base64
import binascii
from typing import Any, Dict, Iterable, List, Optional, Tuple

import numpy as np
from google.protobuf import any_pb2, json_format
from google.protobuf.struct_pb2 import ListValue

from . import tftensor
from .errors import SeldonMicroserviceException
from .proto import prediction_pb2
from .proto.tensorflow.core.framework import tensor_pb2
from .user_model import UserModel

ANSWER_TYPES = "numpy array, list, str, bytes or dict"


# ---------------------------------------------------------------------------------------------------
# Requests


def _tensor_from_json(tensor: Any, path: str) -> np.ndarray:
    if not isinstance(tensor, dict):
        raise SeldonMicroserviceException(f"{path} must be an object with shape and values")
    values = tensor.get("values", [])
    shape = tensor.get("shape")
    if not isinstance(values, list):
        raise SeldonMicroserviceException(f"{path}.values must be a list of numbers")
    array = np.array(values)
    if shape is None:
        return array
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
        raise SeldonMicroserviceException(f"{path}.shape must be a list of integers, not {shape!r}")
    try:
        return array.reshape(shape)
    except ValueError:
        raise SeldonMicroserviceException(f"{path}: {array.size} values do not fill shape {shape}") from None


def _default_data_from_json(datadef: Any) -> np.ndarray:
    if not isinstance(datadef, dict):
        raise SeldonMicroserviceException(f"data must be an object, not {type(datadef).__name__}")
    if "tensor" in datadef:
        return _tensor_from_json(datadef["tensor"], "data.tensor")
    if "ndarray" in datadef:
        try:
            return np.array(datadef["ndarray"])
        except ValueError as e:
            raise SeldonMicroserviceException(f"data.ndarray is not a rectangular array: {e}") from None
    if "tftensor" in datadef:
        proto = tensor_pb2.TensorProto()
        try:
            json_format.ParseDict(datadef["tftensor"], proto)
        except json_format.ParseError as e:
            raise SeldonMicroserviceException(f"data.tftensor: {e}") from None
        return tftensor.to_ndarray(proto)
    return np.array([])


def request_parts_json(request: Any) -> Tuple[Any, Optional[Dict], Optional[Dict], str]:
    """(features, meta, DefaultData dict, payload kind) of a JSON SeldonMessage."""
    if not isinstance(request, dict):
        raise SeldonMicroserviceException(f"Invalid request data type: {request}")
    meta = request.get("meta", None)
    if meta is not None and not isinstance(meta, dict):
        raise SeldonMicroserviceException(f"meta must be an object, not {type(meta).__name__}")
    if "data" in request:
        return _default_data_from_json(request["data"]), meta, request["data"], "data"
    if "jsonData" in request:
        return request["jsonData"], meta, None, "jsonData"
    if "strData" in request:
        return request["strData"], meta, None, "strData"
    if "binData" in request:
        try:  # line breaks (MIME-style base64) are fine; other characters are an error, not ignored
            text = request["binData"]
            if isinstance(text, str):
                text = "".join(text.split())
            return base64.b64decode(text, validate=True), meta, None, "binData"
        except (binascii.Error, TypeError, ValueError) as e:
            raise SeldonMicroserviceException(f"binData is not base64: {e}") from None
    raise SeldonMicroserviceException(f"Invalid request data type: {request}")


def names_json(datadef: Optional[Dict]) -> List:
    names = datadef.get("names", []) if datadef else []
    return names if isinstance(names, list) else []


def array_from_default_data(datadef: prediction_pb2.DefaultData) -> np.ndarray:
    kind = datadef.WhichOneof("data_oneof")
    if kind == "tensor":
        values = np.array(datadef.tensor.values, dtype=np.float64)
        shape = list(datadef.tensor.shape)
        try:
            return values.reshape(shape)
        except ValueError:
            raise SeldonMicroserviceException(f"data.tensor: {values.size} values do not fill shape {shape}") from None
    if kind == "ndarray":
        try:
            return np.array(json_format.MessageToDict(datadef.ndarray))
        except ValueError as e:
            raise SeldonMicroserviceException(f"data.ndarray is not a rectangular array: {e}") from None
    if kind == "tftensor":
        return tftensor.to_ndarray(datadef.tftensor)
    return np.array([])


def request_parts_proto(request: prediction_pb2.SeldonMessage) -> Tuple[Any, Dict, prediction_pb2.DefaultData, str]:
    kind = request.WhichOneof("data_oneof")
    if kind == "data":
        features: Any = array_from_default_data(request.data)
    elif kind == "binData":
        features = request.binData
    elif kind == "strData":
        features = request.strData
    elif kind == "jsonData":
        features = json_format.MessageToDict(request.jsonData)
    elif kind == "customData":
        features = request.customData
    else:
        raise SeldonMicroserviceException("Unknown data in SeldonMessage")
    return features, json_format.MessageToDict(request.meta), request.data, kind


# ---------------------------------------------------------------------------------------------------
# Answers


class MetaParts:
    """The answer's meta: what the request (or the merged inputs) carried plus the component's own."""

    def __init__(self, meta: Optional[Dict], user: UserModel, request_path: Dict[str, str],
                 custom_metrics: Optional[List[Dict]], runtime_tags: Optional[Dict]):
        meta = meta or {}
        # The request's own tags dict and metrics list are extended in place, as Seldon's wrapper does: a
        # model that hands its meta back (as jsonData) shows them merged.
        self.tags = meta.get("tags", {})
        self.metrics = meta.get("metrics", [])
        if self.tags is None:
            self.tags = {}
        if self.metrics is None:
            self.metrics = []
        if not isinstance(self.tags, dict):
            raise SeldonMicroserviceException(f"meta.tags must be an object, not {type(self.tags).__name__}")
        if not isinstance(self.metrics, list):
            raise SeldonMicroserviceException(f"meta.metrics must be a list, not {type(self.metrics).__name__}")
        self.tags.update(user.tags())
        if runtime_tags:
            self.tags.update(runtime_tags)
        if custom_metrics:
            self.metrics.extend(custom_metrics)
        self.request_path = {**request_path, **(meta.get("requestPath", {}) or {})}

    def to_json(self, puid: Optional[str]) -> Dict:
        out: Dict[str, Any] = {}
        if self.tags:
            out["tags"] = self.tags
        if self.metrics:
            out["metrics"] = self.metrics
        if puid:
            out["puid"] = puid
        if self.request_path:
            out["requestPath"] = self.request_path
        return out


def _as_array(answer: Any) -> np.ndarray:
    try:
        return answer if isinstance(answer, np.ndarray) else np.array(answer)
    except ValueError as e:
        raise SeldonMicroserviceException(f"the answer is not a rectangular array: {e}", status_code=500) from None


def _unknown_answer(answer: Any) -> SeldonMicroserviceException:
    text = repr(answer)
    if len(text) > 200:
        text = text[:200] + "..."
    return SeldonMicroserviceException(
        f"Unknown data type returned as payload (must be {ANSWER_TYPES}): {type(answer).__name__} {text}")


def response_json(user: UserModel, request: Dict, answer: Any, meta: MetaParts) -> Dict:
    """The JSON answer (``construct_response_json`` in Seldon's terms)."""
    response: Dict[str, Any] = {}
    if isinstance(answer, dict):
        response["jsonData"] = answer
    elif isinstance(answer, (bytes, bytearray)):
        response["binData"] = base64.b64encode(answer).decode("utf-8")
    elif isinstance(answer, str):
        response["strData"] = answer
    elif isinstance(answer, (np.ndarray, list)):
        array = _as_array(answer)
        as_list = answer.tolist() if isinstance(answer, np.ndarray) else answer
        numeric = np.issubdtype(array.dtype, np.number)
        request_data = request.get("data") if "data" in request else None
        if request_data is not None and numeric and isinstance(request_data, dict) and "tensor" in request_data:
            kind, body = "tensor", {"values": array.ravel().tolist(), "shape": list(array.shape)}
        elif request_data is not None and numeric and isinstance(request_data, dict) and "tftensor" in request_data:
            kind, body = "tftensor", json_format.MessageToDict(tftensor.to_tensor_proto(array))
        elif request_data is None and numeric:
            kind, body = "tensor", {"values": array.ravel().tolist(), "shape": list(array.shape)}
        else:
            kind, body = "ndarray", as_list
        response["data"] = {kind: body, "names": user.class_names(array)}
    else:
        raise _unknown_answer(answer)
    request_meta = request.get("meta") if isinstance(request.get("meta"), dict) else {}
    response["meta"] = meta.to_json(request_meta.get("puid"))
    return response


def _list_value(array: np.ndarray, lv: Optional[ListValue] = None) -> ListValue:
    lv = ListValue() if lv is None else lv
    if len(array.shape) <= 1:
        lv.extend(array.tolist() if array.shape else [array.item()])
    else:
        for sub in array:
            _list_value(sub, lv.add_list())
    return lv


def default_data(kind: Optional[str], array: np.ndarray, names: Iterable[str]) -> prediction_pb2.DefaultData:
    names = list(names)
    try:
        if kind == "tensor":
            return prediction_pb2.DefaultData(names=names, tensor=prediction_pb2.Tensor(
                shape=list(array.shape), values=array.ravel().tolist()))
        if kind == "tftensor":
            return prediction_pb2.DefaultData(names=names, tftensor=tftensor.to_tensor_proto(array))
        return prediction_pb2.DefaultData(names=names, ndarray=_list_value(array))
    except (TypeError, ValueError) as e:
        raise SeldonMicroserviceException(f"the answer cannot be a SeldonMessage {kind or 'ndarray'}: {e}",
                                          status_code=500) from None


def response_proto(user: UserModel, request: prediction_pb2.SeldonMessage, answer: Any,
                   meta: MetaParts) -> prediction_pb2.SeldonMessage:
    """The protobuf answer (``construct_response`` in Seldon's terms)."""
    meta_pb = prediction_pb2.Meta()
    try:
        json_format.ParseDict(meta.to_json(request.meta.puid or None), meta_pb)
    except json_format.ParseError as e:
        raise SeldonMicroserviceException(f"meta cannot be a SeldonMessage Meta: {e}", status_code=500) from None
    if isinstance(answer, (np.ndarray, list)):
        array = _as_array(answer)
        numeric = np.issubdtype(array.dtype, np.number)
        if request.WhichOneof("data_oneof") == "data":
            kind = request.data.WhichOneof("data_oneof") if numeric else "ndarray"
        else:
            kind = "tensor" if numeric else "ndarray"
        return prediction_pb2.SeldonMessage(data=default_data(kind, array, user.class_names(array)), meta=meta_pb)
    if isinstance(answer, str):
        return prediction_pb2.SeldonMessage(strData=answer, meta=meta_pb)
    if isinstance(answer, dict):
        message = prediction_pb2.SeldonMessage(meta=meta_pb)
        try:
            json_format.ParseDict(answer, message.jsonData)
        except json_format.ParseError as e:
            raise SeldonMicroserviceException(f"the answer cannot be jsonData: {e}", status_code=500) from None
        return message
    if isinstance(answer, (bytes, bytearray)):
        return prediction_pb2.SeldonMessage(binData=bytes(answer), meta=meta_pb)
    if isinstance(answer, any_pb2.Any):
        return prediction_pb2.SeldonMessage(customData=answer, meta=meta_pb)
    raise _unknown_answer(answer)


# ---------------------------------------------------------------------------------------------------
# JSON <-> protobuf, for raw methods and feedback


def to_json(message: Any) -> Any:
    return json_format.MessageToDict(message) if hasattr(message, "DESCRIPTOR") else message


def parse(json_value: Any, message_type: type, what: str = "Invalid JSON"):
    message = message_type()
    try:
        json_format.ParseDict({} if json_value is None else json_value, message)
    except (json_format.ParseError, TypeError, AttributeError) as e:
        raise SeldonMicroserviceException(f"{what}: {e}") from None
    return message
