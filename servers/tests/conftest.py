"""Fixtures for the prepackaged servers' tests (helpers in serverlib.py): models trained by each serving
virtualenv, and servers started once per session and stopped at its end."""
from pathlib import Path
from typing import Dict, Optional

import pytest

from serverlib import MLSERVER_VENV, SERVER_VENVS, STARTUP_TIMES, Server, run_python


@pytest.fixture(scope="session")
def models(tmp_path_factory) -> Dict[str, Path]:
    """Model folders, each trained by the virtualenv that serves it."""
    root = tmp_path_factory.mktemp("models")
    iris = root / "iris.npz"
    run_python(SERVER_VENVS["sklearn"], "iris", str(iris))
    folders = {"sklearn": root / "sklearn", "sklearn-pickle": root / "sklearn-pickle", "xgboost": root / "xgboost", "xgboost-json": root / "xgboost-json",
               "mlflow": root / "mlflow", "mlserver-sklearn": root / "mlserver-sklearn",
               "mlserver-xgboost": root / "mlserver-xgboost", "mlserver-mlflow": root / "mlserver-mlflow"}
    run_python(SERVER_VENVS["sklearn"], "sklearn", str(folders["sklearn"]))
    run_python(SERVER_VENVS["sklearn"], "sklearn", str(folders["sklearn-pickle"]), "pickle")
    run_python(SERVER_VENVS["xgboost"], "xgboost", str(folders["xgboost"]), str(iris))
    run_python(SERVER_VENVS["xgboost"], "xgboost", str(folders["xgboost-json"]), str(iris), "model.json", "named")
    run_python(SERVER_VENVS["mlflow"], "mlflow", str(folders["mlflow"]))
    run_python(MLSERVER_VENV, "sklearn", str(folders["mlserver-sklearn"]))
    run_python(MLSERVER_VENV, "xgboost", str(folders["mlserver-xgboost"]), str(iris))
    run_python(MLSERVER_VENV, "mlflow", str(folders["mlserver-mlflow"]))
    return folders


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def started():
    """Starts servers once per session; stops them all at the end."""
    servers: Dict[str, Server] = {}

    def start(key: str, factory, ready_path: Optional[str]):
        if key not in servers:
            servers[key] = factory()
            if ready_path:
                servers[key].wait_ready(ready_path)
        return servers[key]

    yield start
    for server in servers.values():
        server.stop()


def pytest_terminal_summary(terminalreporter):
    if STARTUP_TIMES:
        terminalreporter.write_sep("-", "start-up: process start to ready (s)")
        for name, seconds in STARTUP_TIMES.items():
            terminalreporter.write_line(f"{name:28s} {seconds:6.2f}")
