"""Helpers for the prepackaged servers' tests: free ports, model training by each serving virtualenv, and
the servers as real processes (this project's wrapper for the Seldon protocol, MLServer for v2).

pytest runs from .venv-wrapper (the wrapper's generated protos give the gRPC client); each server runs from
.venv-servers/<name>/ or .venv-mlserver/, as `make servers-venv mlserver-venv` made them.
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[2]
SERVERS = REPO / "servers"
TRAIN = Path(__file__).resolve().parent / "train.py"
SERVER_VENVS = {"sklearn": REPO / ".venv-servers" / "sklearn", "xgboost": REPO / ".venv-servers" / "xgboost",
                "mlflow": REPO / ".venv-servers" / "mlflow"}
MLSERVER_VENV = REPO / ".venv-mlserver"
START_TIMEOUT_S = 120

STARTUP_TIMES: Dict[str, float] = {}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_python(venv: Path, *args: str) -> None:
    subprocess.run([str(venv / "bin" / "python"), str(TRAIN), *args], check=True, timeout=300)


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text())


class Server:
    """A server process; ``http``/``grpc`` are its ports, ``output()`` what it printed."""

    def __init__(self, name: str, argv: List[str], env: Dict[str, str], cwd: Path, http: int, grpc: int,
                 log: Path):
        self.name, self.http, self.grpc, self.log = name, http, grpc, log
        self._log_file = open(log, "wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen(argv, env=env, cwd=str(cwd), stdout=self._log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http}{path}"

    def wait_ready(self, path: str) -> float:
        """Seconds from process start to ``path`` answering 200."""
        deadline = self.started + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.output()[-4000:]}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=2) as r:
                    if r.status == 200:
                        elapsed = time.monotonic() - self.started
                        STARTUP_TIMES.setdefault(self.name, elapsed)
                        return elapsed
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not ready on {path} within {START_TIMEOUT_S} s:\n{self.output()[-4000:]}")

    def wait_exit(self, timeout: float = START_TIMEOUT_S) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} still running after {timeout} s:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def microservice(name: str, venv: str, cls: str, parameters: List[dict], log_dir: Path) -> Server:
    """``seldon-core-microservice <cls> --service-type MODEL`` from the server's folder, configured as the
    operator configures the container (PREDICTIVE_UNIT_PARAMETERS and the ports)."""
    http, grpc, metrics = free_port(), free_port(), free_port()
    env = dict(os.environ)
    env.update({
        "PREDICTIVE_UNIT_PARAMETERS": json.dumps(parameters),
        "PREDICTIVE_UNIT_HTTP_SERVICE_PORT": str(http),
        "PREDICTIVE_UNIT_GRPC_SERVICE_PORT": str(grpc),
        "PREDICTIVE_UNIT_METRICS_SERVICE_PORT": str(metrics),
        "PREDICTIVE_UNIT_METRICS_ENDPOINT": "/prometheus",
        "PREDICTIVE_UNIT_ID": "classifier",
        "PYTHONUNBUFFERED": "1",
    })
    folder = {"SKLearnServer": "sklearnserver", "XGBoostServer": "xgboostserver", "MLFlowServer": "mlflowserver"}[cls]
    argv = [str(SERVER_VENVS[venv] / "bin" / "seldon-core-microservice"), cls, "--service-type", "MODEL"]
    return Server(name, argv, env, SERVERS / folder, http, grpc, log_dir / f"{name}.log")


def mlserver(name: str, model_dir: Path, implementation: str, log_dir: Path) -> Server:
    """``mlserver start <models dir>`` as MLServer's image runs it, with the environment the operator gives
    a v2 container (seldon-v1.md 2.8): the model folder is the models folder, as /mnt/models is in a pod."""
    http, grpc, metrics = free_port(), free_port(), free_port()
    env = dict(os.environ)
    env.update({
        "MLSERVER_HTTP_PORT": str(http),
        "MLSERVER_GRPC_PORT": str(grpc),
        "MLSERVER_METRICS_PORT": str(metrics),
        "MLSERVER_METRICS_ENDPOINT": "/prometheus",
        "MLSERVER_MODEL_NAME": "classifier",
        "MLSERVER_MODEL_URI": str(model_dir),
        "MLSERVER_MODEL_IMPLEMENTATION": implementation,
        "PYTHONUNBUFFERED": "1",
    })
    argv = [str(MLSERVER_VENV / "bin" / "mlserver"), "start", str(model_dir)]
    return Server(name, argv, env, log_dir, http, grpc, log_dir / f"{name}.log")


def post_json(url: str, body: dict, timeout: float = 30) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise AssertionError(f"{url}: HTTP {e.code}: {e.read().decode(errors='replace')}")


def get_json(url: str, timeout: float = 10) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())

