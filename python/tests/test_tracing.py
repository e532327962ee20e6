"""TRACING=1: the wrapper continues the caller's trace (W3C, Jaeger or B3 headers) over REST and gRPC and exports
its spans over OTLP to a real Jaeger (built by ``make tracing-tools``), read back through Jaeger's query API."""
import json
import subprocess
import time
import urllib.error
import urllib.request

import grpc
import pytest
from google.protobuf import json_format

from conftest import REPO, free_port
from seldonj_wrapper.proto import prediction_pb2, prediction_pb2_grpc
from seldonj_wrapper.tracing import TracingConfig, TracingError

JAEGER = REPO / ".tools" / "tracing" / "bin" / "jaeger"


class Jaeger:
    def __init__(self):
        self.otlp, self.query = free_port(), free_port()
        self.process = subprocess.Popen([str(REPO / "ci" / "tracing" / "jaeger.sh"), str(self.otlp), str(self.query)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("Jaeger exited:\n" + self.process.stdout.read())
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.query}/api/services", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("Jaeger did not start in 30 s")

    def trace(self, trace_id, spans, timeout=20):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.query}/api/traces/{trace_id}", timeout=5) as r:
                    data = json.load(r)["data"]
                    last = data[0] if data else None
                    if last and len(last["spans"]) >= spans:
                        return last
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"trace {trace_id} not complete in Jaeger: {last}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def jaeger():
    if not JAEGER.exists():
        pytest.fail(f"{JAEGER} is missing: run make tracing-tools (make test does)")
    j = Jaeger()
    yield j
    j.stop()


def tags(span):
    return {t["key"]: t["value"] for t in span["tags"]}


def parent(span):
    return next((r["spanID"] for r in span["references"] if r["refType"] == "CHILD_OF"), None)


def test_rest_and_grpc_calls_continue_the_callers_trace(microservice, jaeger):
    env = {"TRACING": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{jaeger.otlp}",
           "OTEL_BSP_SCHEDULE_DELAY": "100", "PREDICTIVE_UNIT_ID": "model", "SELDON_DEPLOYMENT_ID": "sdep",
           "PREDICTOR_ID": "main"}
    s = microservice("Identity", env=env)
    trace_id, engine_span = "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"
    request = urllib.request.Request(f"http://127.0.0.1:{s.http}/predict", data=b'{"data":{"ndarray":[[1,2]]}}',
                                     headers={"Content-Type": "application/json",
                                              "traceparent": f"00-{trace_id}-{engine_span}-01"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200
    trace = jaeger.trace(trace_id, 1)
    span = trace["spans"][0]
    assert span["operationName"] == "predict" and parent(span) == engine_span
    assert trace["processes"][span["processID"]]["serviceName"] == "Identity"
    t = tags(span)
    assert t["span.kind"] == "server" and t["http.response.status_code"] == 200
    assert t["seldon.deployment"] == "sdep" and t["seldon.node.name"] == "model"

    # gRPC, with the context in Jaeger's own header as Seldon's executor sends it by default.
    jaeger_trace, jaeger_parent = "0000000000000000a3ce929d0e0e4736", "00f067aa0ba902b7"
    message = json_format.ParseDict({"data": {"ndarray": [[1, 2]]}}, prediction_pb2.SeldonMessage())
    with grpc.insecure_channel(f"127.0.0.1:{s.grpc}") as channel:
        prediction_pb2_grpc.ModelStub(channel).Predict(message, timeout=10, metadata=[
            ("uber-trace-id", f"a3ce929d0e0e4736:{jaeger_parent}:0:1")])
    span = jaeger.trace(jaeger_trace, 1)["spans"][0]
    assert span["operationName"] == "predict" and parent(span) == jaeger_parent
    assert tags(span)["rpc.system"] == "grpc"


def test_b3_headers_and_a_failing_call_are_recorded(microservice, jaeger):
    env = {"TRACING": "1", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"http://127.0.0.1:{jaeger.otlp}/v1/traces",
           "OTEL_BSP_SCHEDULE_DELAY": "100", "JAEGER_SERVICE_NAME": "failing-node"}
    s = microservice("Failing", env=env)
    trace_id = "463ac35c9f6413ad48485a3953bb6124"
    request = urllib.request.Request(f"http://127.0.0.1:{s.http}/predict", data=b'{"data":{"ndarray":[[1]]}}',
                                     headers={"Content-Type": "application/json", "X-B3-TraceId": trace_id,
                                              "X-B3-SpanId": "a2fb4a1d1a96d312", "X-B3-Sampled": "1"})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code >= 400
    trace = jaeger.trace(trace_id, 1)
    span = trace["spans"][0]
    assert parent(span) == "a2fb4a1d1a96d312"
    assert trace["processes"][span["processID"]]["serviceName"] == "failing-node"
    assert tags(span)["http.response.status_code"] >= 400


def test_tracing_variables_map_like_the_engines():
    c = TracingConfig.from_env({"JAEGER_AGENT_HOST": "agent", "JAEGER_SAMPLER_TYPE": "probabilistic",
                                "JAEGER_SAMPLER_PARAM": "0.5", "JAEGER_SERVICE_NAME": "svc"}, "Model")
    assert (c.endpoint, c.sampler, c.sampler_arg, c.service_name) == (
        "http://agent:4318/v1/traces", "parentbased_traceidratio", 0.5, "svc")
    assert TracingConfig.from_env({}, "Model").service_name == "Model"
    with pytest.raises(TracingError, match="JAEGER_SAMPLER_TYPE 'adaptive'"):
        TracingConfig.from_env({"JAEGER_SAMPLER_TYPE": "adaptive"}, "Model")
    with pytest.raises(TracingError, match="OTEL_EXPORTER_OTLP_ENDPOINT 'collector:4318/v1/traces'"):
        TracingConfig.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, "Model")


def test_a_bad_tracing_variable_stops_the_start_with_one_line(microservice):
    s = microservice("Identity", env={"TRACING": "1", "JAEGER_SAMPLER_PARAM": "x", "JAEGER_SAMPLER_TYPE": "const"},
                     ready=False)
    assert s.process.wait(30) == 1
    out = s.output()
    assert "JAEGER_SAMPLER_PARAM 'x' is not a number" in out and "Traceback" not in out
