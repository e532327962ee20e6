"""The component's methods in-process: Seldon's payload rules for JSON and protobuf requests."""
import base64
import sys
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import json_format

from seldonj_wrapper.errors import SeldonMicroserviceException
from seldonj_wrapper.methods import Component
from seldonj_wrapper.metrics import CustomMetrics
from seldonj_wrapper.proto import prediction_pb2
from seldonj_wrapper.settings import Settings, Unit

sys.path.insert(0, str(Path(__file__).parent / "models"))
from Everything import Everything  # noqa: E402
from Identity import Identity  # noqa: E402

UNIT = Unit(unit_id="node", image="img:1", image_set=True)


def component(obj, **settings):
    s = Settings(unit=UNIT, **settings)
    return Component(obj, s, CustomMetrics(None, UNIT.metric_labels()))


def proto(json_value):
    return json_format.ParseDict(json_value, prediction_pb2.SeldonMessage())


def test_tensor_in_tensor_out_keeps_integers_in_json():
    answer = component(Identity()).predict({"meta": {"puid": "p"}, "data": {"tensor": {"shape": [2, 2], "values": [0, 0, 1, 1]}}})
    assert answer == {"data": {"tensor": {"values": [0, 0, 1, 1], "shape": [2, 2]}, "names": ["t:0", "t:1"]},
                      "meta": {"puid": "p", "requestPath": {"node": "img:1"}}}


def test_ndarray_strings_and_1d_have_no_names():
    c = component(Identity())
    assert c.predict({"data": {"ndarray": ["a", "b"]}})["data"] == {"ndarray": ["a", "b"], "names": []}
    # numpy makes a mixed row text, as in Seldon's wrapper
    assert c.predict({"data": {"ndarray": [[1, "b"]]}})["data"] == {"ndarray": [["1", "b"]], "names": ["t:0", "t:1"]}


def test_non_default_data_payloads_come_back_in_kind():
    c = component(Identity())
    assert c.predict({"strData": "hi"}) == {"strData": "hi", "meta": {"requestPath": {"node": "img:1"}}}
    assert c.predict({"jsonData": {"a": [1]}})["jsonData"] == {"a": [1]}
    assert c.predict({"binData": base64.b64encode(b"\x00\x01").decode()})["binData"] == "AAE="


def test_meta_tags_metrics_and_request_path_merge():
    c = component(Everything(label="z"))
    c.user.load()
    answer = c.predict({"meta": {"tags": {"in": 1}, "requestPath": {"up": "i:2"}}, "data": {"ndarray": [[1, 2]]}})
    assert answer["meta"]["tags"] == {"in": 1, "loaded": True, "label": "z"}
    assert answer["meta"]["requestPath"] == {"node": "img:1", "up": "i:2"}
    assert [m["key"] for m in answer["meta"]["metrics"]] == ["my_counter", "my_gauge", "my_timer"]
    assert answer["data"]["names"] == ["c0", "c1"]


def test_metrics_can_stay_out_of_the_answer():
    answer = component(Everything(), include_metrics_in_response=False).predict({"data": {"ndarray": [[1]]}})
    assert "metrics" not in answer["meta"]


def test_route_is_a_one_by_one_array_without_request_tags():
    c = component(Everything())
    answer = c.route({"meta": {"puid": "r", "tags": {"t": 1}}, "data": {"ndarray": [[7]]}})
    assert answer["data"] == {"ndarray": [[1]], "names": ["c0", "c1"]} or answer["data"]["ndarray"] == [[1]]
    assert answer["meta"]["puid"] == "r" and answer["meta"]["tags"] == {"loaded": False, "label": "x"}
    grpc_answer = c.route(proto({"data": {"tensor": {"shape": [1, 1], "values": [7]}}}))
    assert list(grpc_answer.data.tensor.values) == [1.0]


def test_aggregate_accepts_a_list_or_seldon_messages_and_merges_meta():
    c = component(Everything())
    messages = [{"meta": {"puid": "p", "tags": {"a": 1}, "requestPath": {"x": "i:1"}}, "data": {"ndarray": [[1, 2]]}},
                {"meta": {"tags": {"b": 2}, "requestPath": {"y": "i:2"}}, "data": {"ndarray": [[3, 6]]}}]
    for request in (messages, {"seldonMessages": messages}):
        answer = c.aggregate(request)
        assert answer["data"]["ndarray"] == [[2.0, 4.0]]
        assert answer["meta"]["puid"] == "p"
        assert answer["meta"]["requestPath"] == {"node": "img:1", "x": "i:1", "y": "i:2"}
        assert answer["meta"]["tags"]["a"] == 1 and answer["meta"]["tags"]["b"] == 2
    grpc = c.aggregate(json_format.ParseDict({"seldonMessages": messages}, prediction_pb2.SeldonMessageList()))
    assert grpc.data.WhichOneof("data_oneof") == "ndarray"
    with pytest.raises(SeldonMicroserviceException, match="at least one message"):
        c.aggregate([])


def test_feedback_passes_reward_truth_and_this_units_routing():
    c = component(Everything(), feedback_unit_id="node")
    feedback = json_format.ParseDict({"request": {"data": {"ndarray": [[1, 2]]}}, "reward": 0.5,
                                      "response": {"meta": {"routing": {"node": 2}}}}, prediction_pb2.Feedback())
    answer = c.send_feedback(feedback)
    assert json_format.MessageToDict(answer.data) == {"names": ["c0", "c1"], "ndarray": [[0.5, 2.0]]}


def test_grpc_numeric_answer_keeps_the_requests_kind():
    c = component(Identity())
    assert c.predict(proto({"data": {"ndarray": [[1, 2]]}})).data.WhichOneof("data_oneof") == "ndarray"
    assert c.predict(proto({"data": {"tensor": {"shape": [1, 2], "values": [1, 2]}}})).data.WhichOneof("data_oneof") == "tensor"
    assert c.predict(proto({"strData": "s"})).strData == "s"


@pytest.mark.parametrize("request_json, message", [
    ({"data": {"tensor": {"shape": [2, 2], "values": [1, 2, 3]}}}, "data.tensor: 3 values do not fill shape [2, 2]"),
    ({"data": {"tensor": {"shape": "2", "values": [1]}}}, "data.tensor.shape must be a list of integers"),
    ({"data": [1, 2]}, "data must be an object"),
    ({"meta": 5, "strData": "x"}, "meta must be an object"),
    ({"nothing": 1}, "Invalid request data type"),
    ([1, 2], "Invalid request data type"),
    ({"binData": "!!"}, "binData is not base64"),
])
def test_bad_requests_name_what_is_wrong(request_json, message):
    with pytest.raises(SeldonMicroserviceException) as error:
        component(Identity()).predict(request_json)
    assert message in error.value.message and error.value.status_code == 400


def test_an_answer_of_an_unknown_type_is_an_error_naming_it():
    class Scalar:
        def predict(self, X, names):
            return 3

    with pytest.raises(SeldonMicroserviceException, match="int 3"):
        component(Scalar()).predict({"data": {"ndarray": [1]}})


def test_predict_with_meta_gets_the_requests_meta_and_one_without_does_not():
    seen = {}

    class WithMeta:
        def predict(self, X, names, meta):
            seen["meta"] = meta
            return X

    class WithKwargs:
        def predict(self, X, names, **kwargs):
            seen["kwargs"] = kwargs
            return X

    component(WithMeta()).predict({"meta": {"puid": "m"}, "data": {"ndarray": [1]}})
    component(WithKwargs()).predict({"meta": {"puid": "k"}, "data": {"ndarray": [1]}})
    assert seen == {"meta": {"puid": "m"}, "kwargs": {"meta": {"puid": "k"}}}


def test_a_type_error_inside_predict_is_not_retried():
    calls = []

    class Broken:
        def predict(self, X, names, meta=None):
            calls.append(1)
            raise TypeError("inside the model")

    with pytest.raises(TypeError):
        component(Broken()).predict({"data": {"ndarray": [1]}})
    assert calls == [1]


def test_runtime_tags_and_metrics_from_a_seldon_response():
    from seldonj_wrapper import SeldonResponse, create_counter

    class Runtime:
        def predict(self, X, names):
            return SeldonResponse(X, tags={"rt": "yes"}, metrics=[create_counter("rt_hits", 1)])

    answer = component(Runtime()).predict({"data": {"ndarray": [1]}})
    assert answer["meta"]["tags"] == {"rt": "yes"} and answer["meta"]["metrics"][0]["key"] == "rt_hits"


def test_health_and_custom_metrics_exposition():
    c = component(Everything())
    assert c.health_status()["jsonData"] == {"ok": True, "scale": 1}
    c.predict({"data": {"ndarray": [[1]]}})
    text = c.metrics.exposition()[0].decode()
    assert 'my_counter_total{' in text and 'method="predict"' in text and 'model_name="node"' in text
    assert 'my_gauge{' in text and 'kind="g"' in text
    assert 'my_timer_bucket{' in text and 'le="0.02' in text
