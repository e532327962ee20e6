"""The Open Inference Protocol (v2) through the engine answers as MLServer itself answers.

MLServer serves a small iris model (trained here by MLServer's own virtualenv); two engines run a one-node v2
graph in front of it, one calling it over REST, one over gRPC. tritonclient (HTTP and gRPC), the protocol's
reference client, makes every call of the protocol against MLServer directly and against each engine, and the
answers must be the same once the fields that differ by design (request ids) are set aside. The gRPC client
sends raw_input_contents, so it also proves that a raw request gets a raw answer whatever the node's transport.
"""
import numpy as np
import pytest
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

from processes import MLSERVER_VENV, engine, mlserver, run_python

MODEL = "classifier"
ROWS = np.array([[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]], dtype=np.float64)

GRAPH = """apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: {{name: conformance}}
spec:
  protocol: v2
  predictors:
  - name: default
    graph:
      name: classifier
      type: MODEL
      endpoint: {{service_host: 127.0.0.1, httpPort: {http}, grpcPort: {grpc}, type: {transport}}}
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """{"mlserver": (http, grpc), "engine-rest-node": ..., "engine-grpc-node": ...}, all ready."""
    folder = tmp_path_factory.mktemp("v2")
    model = folder / "iris"
    run_python(MLSERVER_VENV, "sklearn", str(model))
    started = []
    try:
        ml = mlserver("mlserver", model, "mlserver_sklearn.SKLearnModel", folder)
        started.append(ml)
        ml.wait_ready(f"/v2/models/{MODEL}/ready")
        for transport in ("REST", "GRPC"):
            e = engine(f"engine-{transport.lower()}-node", GRAPH.format(http=ml.http, grpc=ml.grpc, transport=transport),
                       folder)
            started.append(e)
        for e in started[1:]:
            e.wait_ready("/v2/health/ready")
        yield {s.name: s for s in started}
    finally:
        for s in started:
            s.stop()


ENGINES = ["engine-rest-node", "engine-grpc-node"]


def without_ids(answer: dict) -> dict:
    """The answer without its request id (each server makes its own) and with an empty ``parameters`` map taken as
    none: a protobuf map has no presence, so after a gRPC hop nobody can tell ``{}`` from absent."""
    return {k: v for k, v in answer.items() if k != "id" and not (k == "parameters" and v == {})}


def http_calls(port: int) -> dict:
    c = httpclient.InferenceServerClient(url=f"127.0.0.1:{port}")
    try:
        inputs = [httpclient.InferInput("input-0", list(ROWS.shape), "FP64")]
        inputs[0].set_data_from_numpy(ROWS, binary_data=False)  # MLServer's REST has no binary-data extension
        outputs = [httpclient.InferRequestedOutput("predict", binary_data=False)]
        result = c.infer(MODEL, inputs, outputs=outputs)
        return {
            "live": c.is_server_live(),
            "ready": c.is_server_ready(),
            "model ready": c.is_model_ready(MODEL),
            "unknown model ready": c.is_model_ready("no-such-model"),
            "server metadata": c.get_server_metadata(),
            "model metadata": without_ids(c.get_model_metadata(MODEL)),
            "unknown model metadata": raised(lambda: c.get_model_metadata("no-such-model")),
            "infer": without_ids(result.get_response()),
            "predict": result.as_numpy("predict").tolist(),
        }
    finally:
        c.close()


def grpc_calls(port: int) -> dict:
    c = grpcclient.InferenceServerClient(url=f"127.0.0.1:{port}")
    try:
        inputs = [grpcclient.InferInput("input-0", list(ROWS.shape), "FP64")]
        inputs[0].set_data_from_numpy(ROWS)  # sent as raw_input_contents
        result = c.infer(MODEL, inputs)
        response = result.get_response(as_json=True)
        return {
            "live": c.is_server_live(),
            "ready": c.is_server_ready(),
            "model ready": c.is_model_ready(MODEL),
            "server metadata": c.get_server_metadata(as_json=True),
            "model metadata": c.get_model_metadata(MODEL, as_json=True),
            "unknown model metadata": raised(lambda: c.get_model_metadata("no-such-model")),
            "infer": without_ids(response),
            "raw answer": len(response.get("raw_output_contents", [])) == len(response.get("outputs", [])) > 0,
            "predict": result.as_numpy("predict").tolist(),
        }
    finally:
        c.close()


def raised(call) -> str:
    """The status class of a refused call (its message is each server's own)."""
    try:
        call()
    except InferenceServerException as e:
        return str(e.status())
    return "no error"


@pytest.mark.parametrize("target", ENGINES)
def test_rest_calls_answer_as_mlserver_does(servers, target):
    want = http_calls(servers["mlserver"].http)
    got = http_calls(servers[target].http)
    assert want["predict"] == [[0], [1], [2]]
    assert got == want


@pytest.mark.parametrize("target", ENGINES)
def test_grpc_calls_answer_as_mlserver_does(servers, target):
    want = grpc_calls(servers["mlserver"].grpc)
    got = grpc_calls(servers[target].grpc)
    assert want["raw answer"], "MLServer answers a raw request in raw contents"
    assert got == want
