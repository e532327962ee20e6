"""TensorFlow's TensorProto <-> numpy without TensorFlow, for the ``tftensor`` payload."""
import math
from typing import Dict, Tuple

import numpy as np

from .errors import SeldonMicroserviceException
from .proto.tensorflow.core.framework import tensor_pb2, tensor_shape_pb2, types_pb2

_BY_DTYPE: Dict[np.dtype, int] = {
    np.dtype(np.float32): types_pb2.DT_FLOAT, np.dtype(np.float64): types_pb2.DT_DOUBLE,
    np.dtype(np.int32): types_pb2.DT_INT32, np.dtype(np.uint8): types_pb2.DT_UINT8,
    np.dtype(np.int16): types_pb2.DT_INT16, np.dtype(np.int8): types_pb2.DT_INT8,
    np.dtype(np.complex64): types_pb2.DT_COMPLEX64, np.dtype(np.int64): types_pb2.DT_INT64,
    np.dtype(np.bool_): types_pb2.DT_BOOL, np.dtype(np.uint16): types_pb2.DT_UINT16,
    np.dtype(np.complex128): types_pb2.DT_COMPLEX128, np.dtype(np.float16): types_pb2.DT_HALF,
    np.dtype(np.uint32): types_pb2.DT_UINT32, np.dtype(np.uint64): types_pb2.DT_UINT64,
}
_BY_TYPE = {v: k for k, v in _BY_DTYPE.items()}
# Elements that repeated values may fill (TensorFlow pads with the last one): beyond, a few bytes of request
# would claim gigabytes.
MAX_FILLED_ELEMENTS = 1 << 20
# Which repeated field carries the values when tensor_content is empty.
_VALUE_FIELD = {
    types_pb2.DT_FLOAT: "float_val", types_pb2.DT_DOUBLE: "double_val", types_pb2.DT_INT32: "int_val",
    types_pb2.DT_UINT8: "int_val", types_pb2.DT_INT16: "int_val", types_pb2.DT_INT8: "int_val",
    types_pb2.DT_UINT16: "int_val", types_pb2.DT_INT64: "int64_val", types_pb2.DT_BOOL: "bool_val",
    types_pb2.DT_UINT32: "uint32_val", types_pb2.DT_UINT64: "uint64_val", types_pb2.DT_HALF: "half_val",
    types_pb2.DT_COMPLEX64: "scomplex_val", types_pb2.DT_COMPLEX128: "dcomplex_val",
}


def to_tensor_proto(array: np.ndarray) -> tensor_pb2.TensorProto:
    """Numbers go in ``tensor_content`` (little-endian bytes), strings in ``string_val``, as TensorFlow does."""
    shape = tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in array.shape])
    if array.dtype.kind in ("U", "S", "O"):
        values = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in array.ravel().tolist()]
        return tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=shape, string_val=values)
    dtype = _BY_DTYPE.get(array.dtype.newbyteorder("="))
    if dtype is None:
        raise SeldonMicroserviceException(f"tftensor: numpy dtype {array.dtype} has no TensorFlow type")
    content = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
    return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape, tensor_content=content)


def to_ndarray(proto: tensor_pb2.TensorProto) -> np.ndarray:
    shape: Tuple[int, ...] = tuple(d.size for d in proto.tensor_shape.dim)
    if any(d < 0 for d in shape):
        raise SeldonMicroserviceException(f"tftensor: tensorShape {list(shape)} has a negative dimension")
    count = math.prod(shape)
    if proto.dtype == types_pb2.DT_STRING:
        values = np.array(list(proto.string_val), dtype=object)
        return _fill(values, shape, count, "string_val")
    dtype = _BY_TYPE.get(proto.dtype)
    if dtype is None:
        raise SeldonMicroserviceException(f"tftensor: dtype {types_pb2.DataType.Name(proto.dtype)} is not supported")
    if proto.tensor_content:
        if len(proto.tensor_content) != count * dtype.itemsize:
            raise SeldonMicroserviceException(
                f"tftensor: tensorContent has {len(proto.tensor_content)} bytes, shape {list(shape)} of "
                f"{types_pb2.DataType.Name(proto.dtype)} needs {count * dtype.itemsize}")
        return np.frombuffer(proto.tensor_content, dtype=dtype.newbyteorder("<")).astype(dtype).reshape(shape)
    field = _VALUE_FIELD[proto.dtype]
    raw = list(getattr(proto, field))
    if proto.dtype == types_pb2.DT_HALF:
        values = np.array(raw, dtype=np.uint16).view(np.float16)
    elif proto.dtype in (types_pb2.DT_COMPLEX64, types_pb2.DT_COMPLEX128):
        values = np.array(raw[0::2], dtype=dtype) + 1j * np.array(raw[1::2], dtype=dtype)
    else:
        values = np.array(raw, dtype=dtype)
    return _fill(values, shape, count, field)


def _fill(values: np.ndarray, shape: Tuple[int, ...], count: int, field: str) -> np.ndarray:
    # TensorFlow repeats the last value when fewer than the shape's count are given.
    if values.size == count:
        return values.reshape(shape)
    if count > MAX_FILLED_ELEMENTS:
        raise SeldonMicroserviceException(
            f"tftensor: tensorShape {list(shape)} has {count} elements, but {field} carries {values.size} "
            f"value(s), and they fill at most {MAX_FILLED_ELEMENTS}")
    if values.size == 0:
        return np.zeros(shape, dtype=values.dtype) if values.dtype != object else np.full(shape, b"", dtype=object)
    if values.size < count:
        padded = np.concatenate([values, np.repeat(values[-1:], count - values.size)])
        return padded.reshape(shape)
    raise SeldonMicroserviceException(f"tftensor: {values.size} values in {field} exceed shape {list(shape)}")
