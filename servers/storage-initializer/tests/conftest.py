"""Fixtures: the real program as a process, and the real S3 and GCS APIs on loopback.

- ``gcs``: servers/storage-initializer/local-gcs.sh (fake-gcs-server with the seeds' bucket
  seldon-models), the same script a developer runs by hand;
- ``s3``: moto's server with IAM authentication enforced, a user whose keys may read every bucket,
  and the buckets the tests read;
- ``http_root``: a folder served by Python's http.server.

Every server listens on 127.0.0.1 only, on a free port; nothing reaches another address (the AWS
SDK's instance-metadata lookup is switched off in every run).
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROGRAM = HERE.parent / "storage_initializer.py"
LOCAL_GCS = HERE.parent / "local-gcs.sh"
REPO = HERE.parents[2]

# What a run inherits from the machine: nothing that configures a remote or a credential.
SCRUBBED_PREFIXES = ("RCLONE_", "AWS_", "GOOGLE_", "S3_", "STORAGE_INITIALIZER_")
SCRUBBED = {"USE_SSL"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


def stop(proc):
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Run:
    """A finished run of the program: returncode, stderr (its log), seconds, dest."""

    def __init__(self, proc, seconds, dest):
        self.returncode = proc.returncode
        self.stderr = proc.stderr
        self.stdout = proc.stdout
        self.seconds = seconds
        self.dest = Path(dest)

    @property
    def error_line(self):
        lines = [line for line in self.stderr.splitlines() if line.startswith("storage-initializer: ERROR:")]
        assert len(lines) == 1, self.stderr
        return lines[0]

    def files(self):
        """{relative path: bytes} of every file under dest (the staging folder included)."""
        if not self.dest.exists():
            return {}
        return {str(p.relative_to(self.dest)): p.stat().st_size for p in self.dest.rglob("*") if p.is_file()}

    def entries(self):
        return sorted(os.listdir(self.dest)) if self.dest.exists() else []


@pytest.fixture
def run(tmp_path):
    """run(uri, dest=None, **env) runs the program with a clean environment plus env."""
    home = tmp_path / "home"
    home.mkdir()

    def _run(uri, dest=None, timeout=120, **env):
        dest = dest or tmp_path / "models"
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(SCRUBBED_PREFIXES) and k not in SCRUBBED}
        # No rclone config file from the user's home, and no instance-metadata lookups.
        base.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), AWS_EC2_METADATA_DISABLED="true")
        base.update({k: str(v) for k, v in env.items()})
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(PROGRAM), uri, str(dest)], env=base, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        result = Run(proc, time.monotonic() - started, dest)
        print(f"$ storage_initializer.py {uri} {dest}  -> {proc.returncode} in {result.seconds:.1f}s\n{proc.stderr}")
        return result

    return _run


@pytest.fixture(scope="session")
def gcs():
    """The endpoint (RCLONE_CONFIG_GS_ENDPOINT) of local-gcs.sh's fake-gcs-server."""
    port = free_port()
    proc = subprocess.Popen([str(LOCAL_GCS), str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    endpoint, seen = None, []
    deadline = time.monotonic() + 120  # training the iris model included
    try:
        while endpoint is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("export RCLONE_CONFIG_GS_ENDPOINT="):
                endpoint = line.strip().split("=", 1)[1]
        if endpoint is None:
            raise RuntimeError("local-gcs.sh did not print its endpoint:\n" + "".join(seen))
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        yield endpoint
    finally:
        stop(proc)


# moto counts the requests it serves without checking credentials; these three create the reader.
MOTO_UNAUTHENTICATED_REQUESTS = 3


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """moto's S3 with authentication enforced: {"endpoint", "key", "secret"}; buckets:
    models (sklearn/iris/model.joblib, sklearn/iris/meta/settings.json, single/model.joblib) and empty."""
    import boto3

    port = free_port()
    moto = Path(sys.executable).parent / "moto_server"
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(MOTO_UNAUTHENTICATED_REQUESTS))
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    try:
        wait_for_port(port, proc)
        endpoint = f"http://127.0.0.1:{port}"
        admin = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bootstrap",
                     aws_secret_access_key="bootstrap")
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="model-reader")
        key = iam.create_access_key(UserName="model-reader")["AccessKey"]
        iam.put_user_policy(UserName="model-reader", PolicyName="read-models", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        s3c = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        s3c.create_bucket(Bucket="models")
        s3c.put_object(Bucket="models", Key="sklearn/iris/model.joblib", Body=b"\x80\x04joblib-bytes" * 100)
        s3c.put_object(Bucket="models", Key="sklearn/iris/meta/settings.json", Body=b'{"name": "iris"}')
        s3c.put_object(Bucket="models", Key="single/model.joblib", Body=b"one file")
        s3c.create_bucket(Bucket="empty")
        yield {"endpoint": endpoint, "key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    finally:
        stop(proc)
        log.close()


class FilesHandler(SimpleHTTPRequestHandler):
    """Serves a folder; /truncated/<name> promises 1000 bytes and sends 10."""

    def do_GET(self):
        if self.path.startswith("/truncated/"):
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def http_root(tmp_path_factory):
    """(folder, base URL) of a local HTTP server."""
    root = tmp_path_factory.mktemp("http")
    handler = partial(FilesHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: (port)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted, stopping = [], threading.Event()
    listener.settimeout(0.2)

    def accept():
        while not stopping.is_set():
            with contextlib.suppress(socket.timeout, OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening (connection refused)."""
    return free_port()

