import json

import pytest

from seldonj_wrapper.cli import StartupError, import_user_class, load_annotations, parse_parameters
from seldonj_wrapper.errors import SeldonMicroserviceException
from seldonj_wrapper.settings import Settings


def test_flags_and_environment_as_seldon_reads_them():
    env = {"GUNICORN_WORKERS": "4", "GUNICORN_THREADS": "3", "PREDICTIVE_UNIT_HTTP_SERVICE_PORT": "9001",
           "PREDICTIVE_UNIT_GRPC_SERVICE_PORT": "9500", "SELDON_LOG_LEVEL": "debug", "PREDICTIVE_UNIT_ID": "m",
           "PREDICTIVE_UNIT_IMAGE": "reg:5000/team/m:1.2", "PREDICTOR_LABELS": json.dumps({"version": "v3"}),
           "INCLUDE_METRICS_IN_CLIENT_RESPONSE": "False", "FLASK_JSON_SORT_KEYS": "false"}
    settings, unknown = Settings.from_args(["MyModel", "--service-type", "ROUTER", "--workers", "2"], env)
    assert unknown == []
    assert (settings.workers, settings.threads, settings.http_port, settings.grpc_port) == (2, 3, 9001, 9500)
    assert settings.service_type == "ROUTER" and settings.log_level == "DEBUG"
    assert settings.include_metrics_in_response is False
    assert settings.unit.request_path == {"m": "reg:5000/team/m:1.2"}
    labels = settings.unit.metric_labels()
    assert labels["model_image"] == "reg:5000/team/m" and labels["model_version"] == "1.2"
    assert labels["predictor_version"] == "v3"
    assert dict(settings.flask_config) == {"JSON_SORT_KEYS": False}


def test_unknown_arguments_are_returned():
    _, unknown = Settings.from_args(["MyModel", "REST"], {})
    assert unknown == ["REST"]


def test_rest_timeout_annotation_is_milliseconds():
    settings, _ = Settings.from_args(["M"], {}, {"seldon.io/rest-timeout": "2500"})
    assert settings.rest_timeout_s == 2
    assert Settings.from_args(["M"], {}, {"seldon.io/rest-timeout": "100"})[0].rest_timeout_s == 1
    assert Settings.from_args(["M"], {})[0].rest_timeout_s == 5000


def test_parameters_are_typed():
    parsed = parse_parameters(json.dumps([
        {"name": "a", "value": "3", "type": "INT"}, {"name": "b", "value": "0.5", "type": "FLOAT"},
        {"name": "c", "value": "1e3", "type": "DOUBLE"}, {"name": "d", "value": "x", "type": "STRING"},
        {"name": "e", "value": "yes", "type": "BOOL"}, {"name": "f", "value": "False", "type": "BOOL"}]))
    assert parsed == {"a": 3, "b": 0.5, "c": 1000.0, "d": "x", "e": True, "f": False}


@pytest.mark.parametrize("parameters, message", [
    ([{"name": "n", "value": "x", "type": "INT"}], "Bad model parameter: n with value x can't be parsed as a INT"),
    ([{"name": "n", "value": "maybe", "type": "BOOL"}], "n with value maybe"),
    ([{"name": "n", "value": "1", "type": "LONG"}], "Bad model parameter type: LONG (parameter n)"),
])
def test_bad_parameters_name_the_parameter(parameters, message):
    with pytest.raises(SeldonMicroserviceException, match=r".*") as error:
        parse_parameters(json.dumps(parameters))
    assert message in error.value.message


def test_parameters_that_are_not_a_list():
    with pytest.raises(StartupError, match="not JSON"):
        parse_parameters("[{")
    with pytest.raises(StartupError, match=r"parameters\[0\]"):
        parse_parameters('["x"]')


def test_annotations_file(tmp_path):
    f = tmp_path / "annotations"
    f.write_text('seldon.io/rest-timeout="1000"\nbroken line\nseldon.io/grpc-max-message-size="9"\n')
    assert load_annotations(str(f)) == {"seldon.io/rest-timeout": "1000", "seldon.io/grpc-max-message-size": "9"}
    assert load_annotations(str(tmp_path / "missing")) == {}


def test_import_errors_are_one_clear_line(tmp_path):
    with pytest.raises(StartupError, match="no module NoSuchModel"):
        import_user_class("NoSuchModel", str(tmp_path))
    (tmp_path / "Half.py").write_text("class Other: pass\n")
    with pytest.raises(StartupError, match="has no class Half"):
        import_user_class("Half", str(tmp_path))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text("class Deep: pass\n")
    assert import_user_class("pkg.mod.Deep", str(tmp_path)).__name__ == "Deep"


def test_model_folder_helpers_for_servers(tmp_path):
    from seldonj_wrapper.model_folder import find_model_file, model_folder, read_metadata
    assert model_folder(f"file://{tmp_path}") == str(tmp_path)
    with pytest.raises(SeldonMicroserviceException, match="not a local folder"):
        model_folder("gs://bucket/model")
    with pytest.raises(SeldonMicroserviceException, match="looked for model.joblib, model.pkl"):
        find_model_file(str(tmp_path), ["model.joblib", "model.pkl"], "Server")
    (tmp_path / "model.pkl").write_bytes(b"x")
    assert find_model_file(str(tmp_path), ["model.joblib", "model.pkl"], "Server").endswith("model.pkl")
    assert read_metadata(str(tmp_path)) == {}
    (tmp_path / "metadata.yaml").write_text("name: iris\nversions: [v1]\n")
    assert read_metadata(str(tmp_path)) == {"name": "iris", "versions": ["v1"]}
