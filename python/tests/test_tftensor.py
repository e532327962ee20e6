import numpy as np
import pytest
from google.protobuf import json_format

from seldonj_wrapper import tftensor
from seldonj_wrapper.errors import SeldonMicroserviceException
from seldonj_wrapper.proto.tensorflow.core.framework import tensor_pb2


@pytest.mark.parametrize("array", [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([[1, 2]], dtype=np.int64),
                                   np.array([True, False]), np.array([1.5], dtype=np.float16), np.array(["a", "bc"])])
def test_round_trip(array):
    back = tftensor.to_ndarray(tftensor.to_tensor_proto(array))
    if array.dtype.kind == "U":
        assert [b.decode() for b in back.tolist()] == array.tolist()
    else:
        assert back.dtype == array.dtype and np.array_equal(back, array)


def test_typed_values_and_tensorflows_fill_rule():
    proto = json_format.ParseDict({"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}, {"size": "2"}]},
                                   "floatVal": [1.0, 2.0]}, tensor_pb2.TensorProto())
    assert tftensor.to_ndarray(proto).tolist() == [[1.0, 2.0], [2.0, 2.0]]


def test_content_of_the_wrong_size_is_named():
    proto = tensor_pb2.TensorProto(dtype=1, tensor_content=b"\x00" * 3)
    proto.tensor_shape.dim.add(size=2)
    with pytest.raises(SeldonMicroserviceException, match="tensorContent has 3 bytes"):
        tftensor.to_ndarray(proto)


@pytest.mark.parametrize("dims", [[1, 10 ** 12], [2 ** 32, 2 ** 32, 2 ** 32], [2048, 1024]])
def test_a_shape_few_values_cannot_fill_is_refused_before_anything_is_allocated(dims):
    proto = json_format.ParseDict({"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": str(d)} for d in dims]},
                                   "floatVal": [1.0]}, tensor_pb2.TensorProto())
    with pytest.raises(SeldonMicroserviceException, match="carries 1 value"):
        tftensor.to_ndarray(proto)


def test_a_negative_dimension_is_named():
    proto = json_format.ParseDict({"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "-2"}]}},
                                  tensor_pb2.TensorProto())
    with pytest.raises(SeldonMicroserviceException, match="negative dimension"):
        tftensor.to_ndarray(proto)
