"""The command as a process, on real sockets: REST, gRPC, metrics, several workers, stopping, failing."""
import json
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import grpc
import pytest
from google.protobuf import json_format

from seldonj_wrapper.proto import prediction_pb2, prediction_pb2_grpc

UNIT = {"PREDICTIVE_UNIT_ID": "node", "PREDICTIVE_UNIT_IMAGE": "img:1"}


def http(port, path, body=None, content_type="application/json", method=None):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if content_type and data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def test_rest_answers_in_seldons_bytes(microservice):
    s = microservice("Identity", env=UNIT)
    status, content_type, body = http(s.http, "/api/v1.0/predictions",
                                      '{"meta":{"puid":"p"},"data":{"names":["a","b"],"ndarray":[[1,2.5]]}}')
    assert (status, content_type) == (200, "application/json")
    assert body == b'{"data":{"names":["t:0","t:1"],"ndarray":[[1.0,2.5]]},"meta":{"puid":"p","requestPath":{"node":"img:1"}}}\n'
    form = urllib.parse.urlencode({"json": '{"strData":"hi"}'})
    assert http(s.http, "/predict", form, "application/x-www-form-urlencoded")[2] == \
        b'{"meta":{"requestPath":{"node":"img:1"}},"strData":"hi"}\n'
    query = urllib.parse.quote('{"jsonData":{"b":1,"a":2}}')
    assert http(s.http, f"/predict?json={query}", method="GET")[2] == \
        b'{"jsonData":{"a":2,"b":1},"meta":{"requestPath":{"node":"img:1"}}}\n'
    assert http(s.http, "/health/ping", method="GET")[2] == b"pong"


def test_multipart_fields_and_files(microservice):
    s = microservice("Identity", env=UNIT)
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"binData\"; filename=\"b.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n\x00\x01\x02\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{{\"puid\":\"m\"}}\r\n"
            f"--{boundary}--\r\n")
    status, _, answer = http(s.http, "/predict", body, f"multipart/form-data; boundary={boundary}")
    assert status == 200 and json.loads(answer)["binData"] == "AAEC" and json.loads(answer)["meta"]["puid"] == "m"


def test_bad_input_gets_a_clear_error_and_the_service_stays_up(microservice):
    s = microservice("Failing", env=UNIT)
    status, _, body = http(s.http, "/predict", '{"data":')
    assert status == 400
    error = json.loads(body)["status"]
    assert error["reason"] == "MICROSERVICE_BAD_DATA" and error["info"].startswith("Can't find JSON in data")
    status, _, body = http(s.http, "/predict", '{"data":{"ndarray":[1]}}')
    assert status == 500 and json.loads(body)["status"] == {
        "code": -1, "info": "the model is broken", "reason": "MICROSERVICE_INTERNAL_ERROR", "status": 1}
    status, _, body = http(s.http, "/route", '{"data":{"ndarray":[1]}}')
    assert status == 400 and "Routing response must be int but got left" in json.loads(body)["status"]["info"]
    assert http(s.http, "/no/such/path", method="GET")[0] == 404
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        with pytest.raises(grpc.RpcError) as error:
            prediction_pb2_grpc.ModelStub(channel).Predict(prediction_pb2.SeldonMessage(strData="x"), timeout=10)
        assert error.value.code() == grpc.StatusCode.INTERNAL and "the model is broken" in error.value.details()
    assert http(s.http, "/health/ping", method="GET")[0] == 200


def test_grpc_services_and_metadata(microservice):
    s = microservice("Everything", env=UNIT)
    request = json_format.ParseDict({"meta": {"puid": "g"}, "data": {"tensor": {"shape": [1, 2], "values": [1, 2]}}},
                                    prediction_pb2.SeldonMessage())
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        predicted = prediction_pb2_grpc.ModelStub(channel).Predict(request, timeout=10)
        assert list(predicted.data.tensor.values) == [1, 2] and predicted.meta.puid == "g"
        assert list(predicted.data.names) == ["c0", "c1"]
        generic = prediction_pb2_grpc.GenericStub(channel)
        assert list(generic.TransformInput(request, timeout=10).data.tensor.values) == [2, 3]
        assert list(prediction_pb2_grpc.OutputTransformerStub(channel).TransformOutput(request, timeout=10).data.tensor.values) == [10, 20]
        assert list(prediction_pb2_grpc.RouterStub(channel).Route(request, timeout=10).data.tensor.values) == [1]
        combined = prediction_pb2_grpc.CombinerStub(channel).Aggregate(
            prediction_pb2.SeldonMessageList(seldonMessages=[request, request]), timeout=10)
        assert list(combined.data.tensor.values) == [1, 2]
        metadata = prediction_pb2_grpc.ModelStub(channel).Metadata(prediction_pb2.SeldonMessage(), timeout=10)
        assert metadata.name == "everything" and list(metadata.versions) == ["v7"]
        assert prediction_pb2_grpc.SeldonStub(channel).ModelMetadata(prediction_pb2.SeldonModelMetadataRequest(), timeout=10).name == "everything"
    assert json.loads(http(s.http, "/metadata", method="GET")[2])["inputs"][0]["schema"]["names"] == ["a", "b"]


def test_parameters_reach_the_constructor_and_load_runs_in_each_worker(microservice):
    params = json.dumps([{"name": "scale", "value": "3", "type": "INT"}, {"name": "label", "value": "L", "type": "STRING"}])
    s = microservice("Everything", "--workers", "2", env={**UNIT, "PREDICTIVE_UNIT_PARAMETERS": params})
    for _ in range(4):
        answer = json.loads(http(s.http, "/predict", '{"data":{"ndarray":[[1,2]]}}')[2])
        assert answer["data"]["ndarray"] == [[3, 6]] and answer["meta"]["tags"] == {"label": "L", "loaded": True}


def test_custom_metrics_from_every_worker_on_the_metrics_port(microservice):
    s = microservice("Everything", "--workers", "2", env=UNIT)
    for _ in range(6):
        assert http(s.http, "/predict", '{"data":{"ndarray":[[1]]}}')[0] == 200
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        prediction_pb2_grpc.ModelStub(channel).Predict(prediction_pb2.SeldonMessage(strData="x"), timeout=10)
    feedback = '{"request":{"data":{"ndarray":[[1]]}},"reward":2}'
    assert http(s.http, "/api/v1.0/feedback", feedback)[0] == 200
    text = http(s.metrics, "/prometheus", method="GET")[2].decode()
    counters = [line for line in text.splitlines() if line.startswith("my_counter_total{") and 'method="predict"' in line]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in counters) == 7.0  # 6 REST + 1 gRPC, over the workers
    assert len({line.split('worker_id="')[1].split('"')[0] for line in counters}) >= 2
    assert 'seldon_api_model_feedback_reward_total{' in text and 'seldon_api_model_feedback_total{' in text
    assert "my_timer_bucket{" in text and 'model_image="img"' in text and 'model_version="1"' in text
    assert http(s.metrics, "/other", method="GET")[0] == 404


def test_sigterm_stops_every_process_with_exit_code_zero(microservice):
    s = microservice("Identity", env=UNIT)
    started = time.monotonic()
    assert s.stop() == 0
    assert time.monotonic() - started < 15
    assert subprocess.run(["pgrep", "-s", str(s.process.pid)], capture_output=True).stdout == b""


def test_a_dead_server_process_stops_the_service_with_an_error(microservice):
    s = microservice("Identity", env=UNIT)
    children = subprocess.run(["pgrep", "-P", str(s.process.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) >= 3  # gRPC worker, metrics server, REST server
    subprocess.run(["kill", "-9", children[0]], check=True)
    assert s.process.wait(20) == 1
    assert "exited with code" in s.output()


def test_startup_errors_are_one_line(microservice):
    s = microservice("Everything", env={"PREDICTIVE_UNIT_PARAMETERS": '[{"name":"scale","value":"x","type":"INT"}]'},
                     ready=False)
    assert s.process.wait(20) == 1
    out = s.output()
    assert "cannot start: Bad model parameter: scale with value x can't be parsed as a INT" in out and "Traceback" not in out
    s = microservice("Identity", "REST", ready=False)
    assert s.process.wait(20) == 255 and "unknown arguments ['REST']" in s.output()


def test_raw_method_over_rest_and_grpc(microservice):
    s = microservice("Raw", env=UNIT)
    answer = json.loads(http(s.http, "/predict", '{"strData":"x","meta":{}}')[2])
    assert answer == {"jsonData": {"got": ["meta", "strData"], "raw": True},
                      "meta": {"metrics": [{"key": "raw_hits", "type": "COUNTER", "value": 1}]}}
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        assert prediction_pb2_grpc.ModelStub(channel).Predict(prediction_pb2.SeldonMessage(), timeout=10).strData == "raw over grpc"
    assert "raw_hits_total{" in http(s.metrics, "/prometheus", method="GET")[2].decode()


def test_grpc_server_reflection_lists_the_seldon_services(microservice):
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase
    s = microservice("Identity", env=UNIT)
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        services = set(ProtoReflectionDescriptorDatabase(channel).get_services())
    assert {"seldon.protos.Model", "seldon.protos.Generic", "seldon.protos.Seldon"} <= services
