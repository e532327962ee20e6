import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

MODELS = Path(__file__).parent / "models"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Microservice:
    """``seldon-core-microservice`` as a process on free ports, as a user's image runs it."""

    def __init__(self, interface, *args, env=None, cwd=MODELS):
        self.http, self.grpc, self.metrics = free_port(), free_port(), free_port()
        command = [sys.executable, "-m", "seldonj_wrapper", interface, "--http-port", str(self.http),
                   "--grpc-port", str(self.grpc), "--metrics-port", str(self.metrics), *args]
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "PREDICTIVE_UNIT_METRICS_ENDPOINT": "/prometheus",
                    **(env or {})}
        full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/health/ping", timeout=1) as r:
                    if r.status == 200 and self._listens(self.grpc) and self._listens(self.metrics):
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("not ready in time:\n" + self.output())

    @staticmethod
    def _listens(port):
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", port)) == 0

    def output(self):
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stdout.read()

    def stop(self, timeout=20):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def microservice():
    started = []

    def start(interface, *args, env=None, ready=True):
        service = Microservice(interface, *args, env=env)
        started.append(service)
        return service.wait_ready() if ready else service

    yield start
    for service in started:
        service.stop()
