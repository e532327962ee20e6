"""SKLearnServer, XGBoostServer and MLFlowServer as the operator runs them on the Seldon protocol: the
wrapper's `seldon-core-microservice <Class> --service-type MODEL` from each server's virtualenv, with
`model_uri` in PREDICTIVE_UNIT_PARAMETERS, predicting over REST and gRPC."""
import grpc
import pytest
from google.protobuf import json_format

from serverlib import expected, get_json, microservice, post_json
from seldonj_wrapper.proto import prediction_pb2, prediction_pb2_grpc

IRIS_NAMES = ["t:0", "t:1", "t:2"]


def uri(folder, **extra):
    params = [{"name": "model_uri", "value": str(folder), "type": "STRING"}]
    params += [{"name": k, "value": v, "type": "STRING"} for k, v in extra.items()]
    return params


def rest_predict(server, rows, names=None):
    data = {"ndarray": rows}
    if names:
        data["names"] = names
    return post_json(server.url("/api/v1.0/predictions"), {"data": data})


def grpc_predict(server, rows, names=()):
    request = json_format.ParseDict(
        {"data": {"names": list(names), "tensor": {"shape": [len(rows), len(rows[0])], "values": sum(rows, [])}}},
        prediction_pb2.SeldonMessage())
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc}") as channel:
        return prediction_pb2_grpc.ModelStub(channel).Predict(request, timeout=30, wait_for_ready=True)


def close(actual, wanted, tol=1e-6):
    assert len(actual) == len(wanted)
    for a, w in zip(actual, wanted):
        if isinstance(w, list):
            close(a, w, tol)
        else:
            assert abs(a - w) <= tol, (actual, wanted)


def flat(rows):
    return [v for row in rows for v in (row if isinstance(row, list) else [row])]


# --- SKLEARN_SERVER -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sklearn_proba(started, models, log_dir):
    return started("sklearn predict_proba", lambda: microservice(
        "sklearn predict_proba", "sklearn", "SKLearnServer", uri(models["sklearn"]), log_dir), "/health/ping")


def test_sklearn_predict_proba_over_rest_has_seldons_names(sklearn_proba, models):
    want = expected(models["sklearn"])
    answer = rest_predict(sklearn_proba, want["rows"])
    assert answer["data"]["names"] == IRIS_NAMES
    close(answer["data"]["ndarray"], want["predict_proba"])
    assert [row.index(max(row)) for row in answer["data"]["ndarray"]] == [0, 1, 2]


def test_sklearn_predict_proba_over_grpc(sklearn_proba, models):
    want = expected(models["sklearn"])
    answer = grpc_predict(sklearn_proba, want["rows"])
    assert list(answer.data.names) == IRIS_NAMES
    assert list(answer.data.tensor.shape) == [3, 3]
    close(list(answer.data.tensor.values), flat(want["predict_proba"]))


def test_sklearn_metadata_comes_from_metadata_yaml(sklearn_proba):
    metadata = get_json(sklearn_proba.url("/metadata"))
    assert metadata["name"] == "iris"
    assert metadata["versions"] == ["iris/v1"]
    assert metadata["platform"] == "sklearn"
    assert metadata["inputs"][0]["name"] == "input"


def test_sklearn_method_predict_answers_classes(started, models, log_dir):
    server = started("sklearn predict", lambda: microservice(
        "sklearn predict", "sklearn", "SKLearnServer", uri(models["sklearn"], method="predict"), log_dir),
        "/health/ping")
    want = expected(models["sklearn"])
    answer = rest_predict(server, want["rows"])
    assert answer["data"]["ndarray"] == [0, 1, 2] == want["predict"]
    assert answer["data"]["names"] == []
    assert list(grpc_predict(server, want["rows"]).data.tensor.values) == [0, 1, 2]


def test_sklearn_method_decision_function(started, models, log_dir):
    server = started("sklearn decision_function", lambda: microservice(
        "sklearn decision_function", "sklearn", "SKLearnServer",
        uri(models["sklearn"], method="decision_function"), log_dir), "/health/ping")
    want = expected(models["sklearn"])
    close(rest_predict(server, want["rows"])["data"]["ndarray"], want["decision_function"], 1e-5)


def test_sklearn_reads_a_plain_pickle(started, models, log_dir):
    server = started("sklearn model.pkl", lambda: microservice(
        "sklearn model.pkl", "sklearn", "SKLearnServer", uri(models["sklearn-pickle"]), log_dir), "/health/ping")
    want = expected(models["sklearn-pickle"])
    close(rest_predict(server, want["rows"])["data"]["ndarray"], want["predict_proba"])


def test_sklearn_missing_model_stops_the_process_naming_the_folder(tmp_path, log_dir):
    missing = tmp_path / "no-model-here"
    server = microservice("sklearn missing", "sklearn", "SKLearnServer", uri(missing), log_dir)
    code = server.wait_exit()
    out = server.output()
    server.stop()
    assert code != 0
    assert f"no model in {missing}" in out and "model.joblib, model.pkl, model.pickle" in out, out


def test_sklearn_unknown_method_is_refused_at_start(models, log_dir):
    server = microservice("sklearn bad method", "sklearn", "SKLearnServer",
                          uri(models["sklearn"], method="transform"), log_dir)
    code = server.wait_exit()
    out = server.output()
    server.stop()
    assert code != 0 and "method 'transform' is not one of predict_proba, predict, decision_function" in out, out


# --- XGBOOST_SERVER -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def xgboost_server(started, models, log_dir):
    return started("xgboost", lambda: microservice(
        "xgboost", "xgboost", "XGBoostServer", uri(models["xgboost"]), log_dir), "/health/ping")


def test_xgboost_softprob_over_rest(xgboost_server, models):
    want = expected(models["xgboost"])
    answer = rest_predict(xgboost_server, want["rows"])
    assert answer["data"]["names"] == IRIS_NAMES
    close(answer["data"]["ndarray"], want["predict_proba"], 1e-6)
    assert [row.index(max(row)) for row in answer["data"]["ndarray"]] == [0, 1, 2]


def test_xgboost_softprob_over_grpc(xgboost_server, models):
    want = expected(models["xgboost"])
    answer = grpc_predict(xgboost_server, want["rows"])
    assert list(answer.data.names) == IRIS_NAMES
    close(list(answer.data.tensor.values), flat(want["predict_proba"]), 1e-6)


def test_xgboost_reads_model_json_with_named_features(started, models, log_dir):
    server = started("xgboost model.json", lambda: microservice(
        "xgboost model.json", "xgboost", "XGBoostServer", uri(models["xgboost-json"]), log_dir), "/health/ping")
    want = expected(models["xgboost-json"])
    close(rest_predict(server, want["rows"])["data"]["ndarray"], want["predict_proba"], 1e-6)
    # the booster knows its columns by name: the request's own names (or none) are taken by position
    close(rest_predict(server, want["rows"], ["a", "b", "c", "d"])["data"]["ndarray"], want["predict_proba"], 1e-6)


def test_xgboost_missing_model_stops_the_process_naming_the_folder(tmp_path, log_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    server = microservice("xgboost missing", "xgboost", "XGBoostServer", uri(empty), log_dir)
    code = server.wait_exit()
    out = server.output()
    server.stop()
    assert code != 0
    assert f"no model in {empty}" in out and "model.bst, model.json, model.ubj" in out, out


# --- MLFLOW_SERVER --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mlflow_server(started, models, log_dir):
    return started("mlflow", lambda: microservice(
        "mlflow", "mlflow", "MLFlowServer", uri(models["mlflow"]), log_dir), "/health/ping")


def test_mlflow_predicts_over_rest_with_the_requests_names(mlflow_server, models):
    want = expected(models["mlflow"])
    answer = rest_predict(mlflow_server, want["rows"], want["names"])
    assert answer["data"]["ndarray"] == want["predict"] == [0, 1, 2]


def test_mlflow_without_names_uses_the_signatures_columns(mlflow_server, models):
    want = expected(models["mlflow"])
    assert rest_predict(mlflow_server, want["rows"])["data"]["ndarray"] == want["predict"]
    # names that are not the signature's (e.g. an upstream step's t:0..) are taken by position
    assert rest_predict(mlflow_server, want["rows"], ["t:0", "t:1", "t:2", "t:3"])["data"]["ndarray"] == want["predict"]
    # the signature's names in another order are matched by name
    rows = [list(reversed(r)) for r in want["rows"]]
    assert rest_predict(mlflow_server, rows, list(reversed(want["names"])))["data"]["ndarray"] == want["predict"]


def test_mlflow_predicts_over_grpc(mlflow_server, models):
    want = expected(models["mlflow"])
    answer = grpc_predict(mlflow_server, want["rows"], want["names"])
    assert list(answer.data.tensor.values) == want["predict"]


def test_mlflow_xtype_dataframe(started, models, log_dir):
    server = started("mlflow DataFrame", lambda: microservice(
        "mlflow DataFrame", "mlflow", "MLFlowServer", uri(models["mlflow"], xtype="DataFrame"), log_dir),
        "/health/ping")
    want = expected(models["mlflow"])
    assert rest_predict(server, want["rows"], want["names"])["data"]["ndarray"] == want["predict"]


def test_mlflow_missing_model_stops_the_process_naming_the_folder(tmp_path, log_dir):
    missing = tmp_path / "no-mlflow-model"
    server = microservice("mlflow missing", "mlflow", "MLFlowServer", uri(missing), log_dir)
    code = server.wait_exit()
    out = server.output()
    server.stop()
    assert code != 0
    assert f"no model in {missing}" in out and "MLmodel" in out, out
