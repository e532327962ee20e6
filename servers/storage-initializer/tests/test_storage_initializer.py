"""The storage initializer as the operator runs it: `storage_initializer.py <uri> <dest>`, a process,
against real S3 (moto) and GCS (fake-gcs-server) APIs, local folders and an HTTP server."""

import importlib.util
import os
import subprocess
import sys

import pytest
from conftest import PROGRAM, REPO

STAGING_PREFIX = ".storage-initializer-staging-"


def s3_rclone_env(s3, **overrides):
    env = {
        "RCLONE_CONFIG_S3_TYPE": "s3",
        "RCLONE_CONFIG_S3_PROVIDER": "Other",
        "RCLONE_CONFIG_S3_ENV_AUTH": "false",
        "RCLONE_CONFIG_S3_ACCESS_KEY_ID": s3["key"],
        "RCLONE_CONFIG_S3_SECRET_ACCESS_KEY": s3["secret"],
        "RCLONE_CONFIG_S3_ENDPOINT": s3["endpoint"],
    }
    env.update(overrides)
    return env


def aws_env(s3, **overrides):
    env = {"AWS_ACCESS_KEY_ID": s3["key"], "AWS_SECRET_ACCESS_KEY": s3["secret"], "AWS_ENDPOINT_URL": s3["endpoint"]}
    env.update(overrides)
    return env


def assert_failed(result, *words):
    assert result.returncode == 1, result.stderr
    line = result.error_line
    for word in words:
        assert word in line, line
    assert result.files() == {}, "a failed copy leaves nothing behind"


def sklearn_python():
    for candidate in (REPO / ".venv-servers/sklearn/bin/python", REPO / ".venv/bin/python"):
        if candidate.exists():
            return candidate
    return None


# --- gs:// against fake-gcs-server (local-gcs.sh, the seeds' bucket) -------------------------------


@pytest.mark.parametrize("uri", [
    "gs://seldon-models/sklearn/iris",
    "gs://seldon-models/v1.15.0-dev/sklearn/iris",
    "gs:seldon-models/v1.15.0-dev/sklearn/iris",  # rclone's own form, as Seldon's docs write it
])
def test_gs_anonymous_copies_the_seed_model(run, gcs, uri):
    result = run(uri, RCLONE_CONFIG_GS_ENDPOINT=gcs)
    assert result.returncode == 0, result.stderr
    files = result.files()
    assert list(files) == ["model.joblib"] and files["model.joblib"] > 0
    assert f"copied 1 file ({files['model.joblib']} bytes) from {uri}" in result.stderr
    assert result.entries() == ["model.joblib"], "the staging folder is gone"
    python = sklearn_python()
    if python:
        prediction = subprocess.run(
            [str(python), "-c", "import joblib,sys; print(joblib.load(sys.argv[1]).predict([[5.1, 3.5, 1.4, 0.2]])[0])",
             str(result.dest / "model.joblib")], capture_output=True, text=True, check=True)
        assert prediction.stdout.strip() == "0"  # setosa: a trained iris classifier


def test_gs_with_the_image_preset_env(run, gcs):
    # Exactly what the Dockerfile presets, plus the endpoint.
    result = run("gs://seldon-models/sklearn/iris/model.joblib", RCLONE_CONFIG_GS_TYPE="google cloud storage",
                 RCLONE_CONFIG_GS_ANONYMOUS="true", RCLONE_VERBOSE="1", RCLONE_CONFIG_GS_ENDPOINT=gcs)
    assert result.returncode == 0, result.stderr
    assert list(result.files()) == ["model.joblib"]


def test_gs_missing_bucket(run, gcs):
    assert_failed(run("gs://no-such-bucket/sklearn/iris", RCLONE_CONFIG_GS_ENDPOINT=gcs),
                  "gs://no-such-bucket/sklearn/iris", "bucket 'no-such-bucket' does not exist")


def test_gs_missing_path(run, gcs):
    assert_failed(run("gs://seldon-models/sklearn/no-such-model", RCLONE_CONFIG_GS_ENDPOINT=gcs),
                  "gs://seldon-models/sklearn/no-such-model", "nothing to copy")


def test_gs_unreachable_endpoint_fails_within_seconds(run, closed_port):
    result = run("gs://seldon-models/sklearn/iris", RCLONE_CONFIG_GS_ENDPOINT=f"http://127.0.0.1:{closed_port}/storage/v1/")
    assert_failed(result, "gs://seldon-models/sklearn/iris", "unreachable", "connection refused")
    assert result.seconds < 15


# --- s3:// against moto (authentication enforced) ---------------------------------------------------


def test_s3_with_rclone_config_keys(run, s3):
    result = run("s3://models/sklearn/iris", **s3_rclone_env(s3))
    assert result.returncode == 0, result.stderr
    assert result.files() == {"model.joblib": 1400, "meta/settings.json": 16}
    assert "copied 2 files (1416 bytes) from s3://models/sklearn/iris" in result.stderr
    assert s3["secret"] not in result.stderr


@pytest.mark.parametrize("endpoint_keys", [
    pytest.param(lambda s3: {"AWS_ENDPOINT_URL": s3["endpoint"]}, id="AWS_ENDPOINT_URL"),
    pytest.param(lambda s3: {"AWS_ENDPOINT_URL": s3["endpoint"].replace("http://", ""), "USE_SSL": "false"},
                 id="AWS_ENDPOINT_URL-host-USE_SSL=false"),
    pytest.param(lambda s3: {"S3_ENDPOINT": s3["endpoint"].replace("http://", ""), "S3_USE_HTTPS": "0",
                             "AWS_REGION": "eu-west-1"}, id="S3_ENDPOINT-S3_USE_HTTPS=0"),
])
def test_s3_with_kfserving_style_aws_keys(run, s3, endpoint_keys):
    env = {"AWS_ACCESS_KEY_ID": s3["key"], "AWS_SECRET_ACCESS_KEY": s3["secret"], **endpoint_keys(s3)}
    result = run("s3://models/sklearn/iris", **env)
    assert result.returncode == 0, result.stderr
    assert set(result.files()) == {"model.joblib", "meta/settings.json"}
    assert "s3 remote from the AWS_* keys" in result.stderr and s3["secret"] not in result.stderr


def test_s3_single_object(run, s3):
    result = run("s3://models/single/model.joblib", **aws_env(s3))
    assert result.returncode == 0, result.stderr
    assert result.files() == {"model.joblib": 8}


def test_s3_with_aws_ca_bundle_set(run, s3, tmp_path):
    # rclone 1.60's S3 backend refuses AWS_CA_BUNDLE; the program hands it to rclone's --ca-cert.
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    if not os.path.exists(bundle):
        pytest.skip("no CA bundle on this machine")
    result = run("s3://models/single", AWS_CA_BUNDLE=bundle, **aws_env(s3))
    assert result.returncode == 0, result.stderr


def test_s3_wrong_secret_is_access_denied(run, s3):
    assert_failed(run("s3://models/sklearn/iris", **s3_rclone_env(s3, RCLONE_CONFIG_S3_SECRET_ACCESS_KEY="wrong")),
                  "s3://models/sklearn/iris", "access denied", "SignatureDoesNotMatch")


def test_s3_unknown_key_is_access_denied(run, s3):
    assert_failed(run("s3://models/sklearn/iris", **aws_env(s3, AWS_ACCESS_KEY_ID="AKIAUNKNOWNKEY000000")),
                  "s3://models/sklearn/iris", "access denied", "InvalidAccessKeyId")


def test_s3_missing_bucket(run, s3):
    assert_failed(run("s3://no-such-bucket/sklearn/iris", **aws_env(s3)),
                  "s3://no-such-bucket/sklearn/iris", "bucket 'no-such-bucket' does not exist")


def test_s3_missing_path(run, s3):
    assert_failed(run("s3://models/sklearn/no-such-model", **aws_env(s3)),
                  "s3://models/sklearn/no-such-model", "nothing to copy")


def test_s3_empty_bucket_is_nothing_to_copy(run, s3):
    assert_failed(run("s3://empty", **aws_env(s3)), "s3://empty", "nothing to copy")


def test_s3_unreachable_endpoint_fails_within_seconds(run, s3, closed_port):
    result = run("s3://models/sklearn/iris", **aws_env(s3, AWS_ENDPOINT_URL=f"http://127.0.0.1:{closed_port}"))
    assert_failed(result, "s3://models/sklearn/iris", "unreachable", "connection refused")
    assert result.seconds < 15


def test_a_silent_endpoint_is_bounded_by_rclone_timeout(run, s3, silent_server):
    result = run("s3://models/sklearn/iris", RCLONE_TIMEOUT="1s", RCLONE_RETRIES="1", RCLONE_LOW_LEVEL_RETRIES="1",
                 **aws_env(s3, AWS_ENDPOINT_URL=f"http://127.0.0.1:{silent_server}"))
    assert_failed(result, "s3://models/sklearn/iris", "did not answer within 1s (RCLONE_TIMEOUT)")
    assert result.seconds < 30


def test_the_deadline_stops_a_copy(run, s3, silent_server):
    result = run("s3://models/sklearn/iris", STORAGE_INITIALIZER_DEADLINE="2",
                 **aws_env(s3, AWS_ENDPOINT_URL=f"http://127.0.0.1:{silent_server}"))
    assert_failed(result, "s3://models/sklearn/iris", "timed out after STORAGE_INITIALIZER_DEADLINE=2 seconds")
    assert result.seconds < 10


# --- other rclone remotes -----------------------------------------------------------------------------


def test_any_configured_rclone_remote(run, s3):
    # A remote named "minio", configured only by the secret's RCLONE_CONFIG_MINIO_* keys.
    env = {k.replace("_S3_", "_MINIO_"): v for k, v in s3_rclone_env(s3).items()}
    for uri in ("minio:models/sklearn/iris", "minio://models/sklearn/iris"):
        result = run(uri, **env)
        assert result.returncode == 0, result.stderr
        assert set(result.files()) == {"model.joblib", "meta/settings.json"}


def test_on_the_fly_remote(run, s3):
    uri = f":s3,provider=Other,env_auth=false,endpoint='{s3['endpoint']}':models/single"
    result = run(uri, RCLONE_S3_ACCESS_KEY_ID=s3["key"], RCLONE_S3_SECRET_ACCESS_KEY=s3["secret"])
    assert result.returncode == 0, result.stderr
    assert result.files() == {"model.joblib": 8}


def test_unconfigured_remote(run):
    assert_failed(run("azureblob:container/model"), "azureblob:container/model",
                  "rclone remote 'azureblob' is not configured", "RCLONE_CONFIG_AZUREBLOB_TYPE")


# --- local paths: file://, a bare path, the controller's /mnt/pvc/<path> ----------------------------------


@pytest.fixture
def model_folder(tmp_path):
    folder = tmp_path / "mnt" / "pvc" / "models" / "iris"
    (folder / "meta").mkdir(parents=True)
    (folder / "model.joblib").write_bytes(b"m" * 300)
    (folder / "meta" / "settings.json").write_text("{}")
    return folder


@pytest.mark.parametrize("form", ["bare", "file", "file-single"])
def test_local_copies(run, model_folder, form):
    uri = {"bare": str(model_folder), "file": f"file://{model_folder}",
           "file-single": f"file://{model_folder}/model.joblib"}[form]
    result = run(uri)
    assert result.returncode == 0, result.stderr
    expected = {"model.joblib": 300} if form == "file-single" else {"model.joblib": 300, "meta/settings.json": 2}
    assert result.files() == expected
    assert f"copied {len(expected)} file" in result.stderr


def test_pvc_path_as_the_controller_passes_it(run, model_folder):
    # The controller mounts the claim of pvc://<claim>/models/iris at /mnt/pvc and passes
    # /mnt/pvc/models/iris; here the same layout lives under a temporary root.
    result = run(str(model_folder))
    assert result.returncode == 0, result.stderr
    assert "model.joblib" in result.files()


def test_local_missing_path(run, tmp_path):
    assert_failed(run(str(tmp_path / "nope")), "path not found", str(tmp_path / "nope"))


def test_local_empty_folder(run, tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    assert_failed(run(f"file://{tmp_path / 'empty'}"), "nothing to copy")


def test_a_failed_copy_leaves_the_destination_as_it_was(run, model_folder, tmp_path):
    # A dangling link fails the copy after model.joblib was written into staging.
    (model_folder / "zz-broken").symlink_to(tmp_path / "gone")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "previous.txt").write_text("kept")
    result = run(str(model_folder), dest=dest)
    assert result.returncode == 1
    assert "copy failed" in result.error_line
    assert result.entries() == ["previous.txt"]


def test_leftover_staging_of_a_killed_run_is_removed_and_old_files_replaced(run, model_folder, tmp_path):
    dest = tmp_path / "dest"
    (dest / f"{STAGING_PREFIX}999" / "half").mkdir(parents=True)
    (dest / "model.joblib").write_text("old")
    result = run(str(model_folder), dest=dest)
    assert result.returncode == 0, result.stderr
    assert result.entries() == ["meta", "model.joblib"]
    assert result.files()["model.joblib"] == 300


# --- http(s):// one file ---------------------------------------------------------------------------------


def test_http_single_file(run, http_root):
    root, base = http_root
    (root / "models").mkdir(exist_ok=True)
    (root / "models" / "model.joblib").write_bytes(b"h" * 1234)
    result = run(f"{base}/models/model.joblib?version=3")
    assert result.returncode == 0, result.stderr
    assert result.files() == {"model.joblib": 1234}
    assert "copied 1 file (1234 bytes)" in result.stderr


def test_http_not_found(run, http_root):
    _, base = http_root
    assert_failed(run(f"{base}/models/missing.joblib"), "path not found", "HTTP 404")


def test_http_truncated_download_leaves_nothing(run, http_root):
    _, base = http_root
    result = run(f"{base}/truncated/model.bin", RCLONE_RETRIES="1", RCLONE_RETRIES_SLEEP="0.1s")
    assert_failed(result, "truncated/model.bin", "cut short", "10 of 1000 bytes")
    assert "retrying" in result.stderr


def test_http_unreachable(run, closed_port):
    result = run(f"http://127.0.0.1:{closed_port}/model.joblib")
    assert_failed(result, "unreachable", "Connection refused")
    assert result.seconds < 15


def test_http_uri_must_name_a_file(run, http_root):
    _, base = http_root
    assert_failed(run(f"{base}/models/"), "must name one file")


# --- usage and parsing ---------------------------------------------------------------------------------


def test_usage():
    proc = subprocess.run([sys.executable, str(PROGRAM)], capture_output=True, text=True)
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_unsupported_uri(run):
    assert_failed(run("relative/path"), "unsupported URI")


def load_program():
    spec = importlib.util.spec_from_file_location("storage_initializer", PROGRAM)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("uri,kind,target,remote", [
    ("gs://seldon-models/sklearn/iris", "rclone", "gs:seldon-models/sklearn/iris", "gs"),
    ("s3://bucket/a/b", "rclone", "s3:bucket/a/b", "s3"),
    ("s3:bucket/a", "rclone", "s3:bucket/a", "s3"),
    ("gcs:bucket", "rclone", "gcs:bucket", "gcs"),
    ("azureblob://container/dir", "rclone", "azureblob:container/dir", "azureblob"),
    (":s3,provider=Minio:bucket", "rclone", ":s3,provider=Minio:bucket", ""),
    ("file:///models/iris", "local", "/models/iris", ""),
    ("/mnt/pvc/models/iris", "local", "/mnt/pvc/models/iris", ""),
    ("pvc://my-claim/models/iris", "local", "/mnt/pvc/models/iris", ""),
    ("https://host/path/model.bst", "http", "https://host/path/model.bst", ""),
])
def test_parse_uri(uri, kind, target, remote):
    source = load_program().parse_uri(uri)
    assert (source.kind, source.target, source.remote) == (kind, target, remote)


def test_aws_keys_map_to_an_s3_remote_and_rclone_keys_win():
    program = load_program()
    env = {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "S3_ENDPOINT": "minio:9000", "USE_SSL": "0"}
    program.configure_remote("s3", env)
    assert env["RCLONE_CONFIG_S3_TYPE"] == "s3" and env["RCLONE_CONFIG_S3_PROVIDER"] == "Other"
    assert env["RCLONE_CONFIG_S3_ENDPOINT"] == "http://minio:9000"
    assert env["RCLONE_CONFIG_S3_ACCESS_KEY_ID"] == "k" and env["RCLONE_CONFIG_S3_ENV_AUTH"] == "false"
    explicit = {"RCLONE_CONFIG_S3_TYPE": "s3", "AWS_ENDPOINT_URL": "http://elsewhere"}
    program.configure_remote("s3", explicit)
    assert "RCLONE_CONFIG_S3_ENDPOINT" not in explicit
    iam_roles = {}
    program.configure_remote("s3", iam_roles)
    assert iam_roles["RCLONE_CONFIG_S3_ENV_AUTH"] == "true" and iam_roles["RCLONE_CONFIG_S3_PROVIDER"] == "AWS"


def test_http_silent_server_is_bounded(run, silent_server):
    result = run(f"http://127.0.0.1:{silent_server}/model.joblib", RCLONE_TIMEOUT="1s", RCLONE_RETRIES="1",
                 RCLONE_RETRIES_SLEEP="0.1s")
    assert_failed(result, "did not answer within 1s")
    assert result.seconds < 10


def test_gs_preset_and_google_application_credentials():
    program = load_program()
    anonymous = {}
    program.configure_remote("gs", anonymous)
    assert anonymous == {"RCLONE_CONFIG_GS_TYPE": "google cloud storage", "RCLONE_CONFIG_GS_ANONYMOUS": "true"}
    keyed = {"RCLONE_CONFIG_GS_TYPE": "google cloud storage", "RCLONE_CONFIG_GS_ANONYMOUS": "true",
             "GOOGLE_APPLICATION_CREDENTIALS": "/var/secrets/key.json"}
    program.configure_remote("gs", keyed)
    assert keyed["RCLONE_CONFIG_GS_SERVICE_ACCOUNT_FILE"] == "/var/secrets/key.json"
    assert keyed["RCLONE_CONFIG_GS_ANONYMOUS"] == "false"
