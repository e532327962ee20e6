"""MLServer (.venv-mlserver) for the v2 protocol, started as its image starts it (`mlserver start
<models dir>`) with the environment the operator gives a v2 prepackaged-server container: MLSERVER_MODEL_URI,
MLSERVER_MODEL_IMPLEMENTATION, MLSERVER_MODEL_NAME and the ports. One test per runtime the controller maps
SKLEARN_SERVER, XGBOOST_SERVER and MLFLOW_SERVER to."""
from serverlib import expected, get_json, mlserver, post_json

RUNTIMES = {
    "sklearn": "mlserver_sklearn.SKLearnModel",
    "xgboost": "mlserver_xgboost.XGBoostModel",
    "mlflow": "mlserver_mlflow.MLflowRuntime",
}


def start(started, models, log_dir, kind):
    name = f"mlserver {kind}"
    server = started(name, lambda: mlserver(name, models[f"mlserver-{kind}"], RUNTIMES[kind], log_dir),
                     "/v2/health/ready")
    # /v2/health/ready is the pod's readiness probe; the model itself must be loaded too.
    server.wait_ready("/v2/models/classifier/ready")
    return server


def tensor_request(rows):
    return {"inputs": [{"name": "input-0", "shape": [len(rows), len(rows[0])], "datatype": "FP64",
                        "data": [v for row in rows for v in row]}]}


def close(actual, wanted, tol=1e-6):
    assert len(actual) == len(wanted)
    assert all(abs(a - w) <= tol for a, w in zip(actual, wanted)), (actual, wanted)


def test_mlserver_sklearn_infer(started, models, log_dir):
    server = start(started, models, log_dir, "sklearn")
    want = expected(models["mlserver-sklearn"])
    answer = post_json(server.url("/v2/models/classifier/infer"), tensor_request(want["rows"]))
    assert answer["model_name"] == "classifier"
    assert answer["outputs"][0]["data"] == want["predict"] == [0, 1, 2]


def test_mlserver_xgboost_infer(started, models, log_dir):
    server = start(started, models, log_dir, "xgboost")
    want = expected(models["mlserver-xgboost"])
    answer = post_json(server.url("/v2/models/classifier/infer"), tensor_request(want["rows"]))
    output = answer["outputs"][0]
    assert output["shape"] == [3, 3]
    close(output["data"], [v for row in want["predict_proba"] for v in row])


def test_mlserver_mlflow_infer_with_the_signatures_columns(started, models, log_dir):
    server = start(started, models, log_dir, "mlflow")
    want = expected(models["mlserver-mlflow"])
    metadata = get_json(server.url("/v2/models/classifier"))
    assert [i["name"] for i in metadata["inputs"]] == want["names"]
    columns = list(zip(*want["rows"]))
    request = {"parameters": {"content_type": "pd"},
               "inputs": [{"name": name, "shape": [len(col)], "datatype": "FP64", "data": list(col)}
                          for name, col in zip(want["names"], columns)]}
    answer = post_json(server.url("/v2/models/classifier/infer"), request)
    assert answer["outputs"][0]["data"] == want["predict"] == [0, 1, 2]
