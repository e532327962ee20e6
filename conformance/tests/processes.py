"""The processes the conformance tests drive: the engine jar (as Seldon's operator starts it, from a
SeldonDeployment file), MLServer and the example components' jar, each on free loopback ports and stopped by
the test that started it. The server helpers are the prepackaged servers' tests' own (servers/tests)."""
import os
import shutil
import sys
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "servers" / "tests"))

from serverlib import MLSERVER_VENV, Server, free_port, mlserver, run_python  # noqa: E402,F401

__all__ = ["REPO", "MLSERVER_VENV", "Server", "free_port", "mlserver", "run_python", "engine", "component",
           "java"]


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise AssertionError("no java on PATH (the engine jar runs on Java 17)")
    return found


def _jar(folder: Path, pattern: str) -> Path:
    jars = [j for j in sorted(folder.glob(pattern)) if not j.name.startswith("original-")]
    if not jars:
        raise AssertionError(f"no {pattern} in {folder}: build it first (mvn package, or make test)")
    return jars[0]


def engine(name: str, sdep: str, log_dir: Path, extra: List[str] = ()) -> Server:
    """``java -jar seldonj-engine.jar --file <sdep>`` on free ports (engine/target's jar, or $SELDONJ_ENGINE_JAR
    while a build rewrites it)."""
    http, grpc = free_port(), free_port()
    file = log_dir / f"{name}.yaml"
    file.write_text(sdep)
    env = {k: v for k, v in os.environ.items() if k not in ("ENGINE_PREDICTOR", "JAVA_TOOL_OPTIONS")}
    jar = os.environ.get("SELDONJ_ENGINE_JAR") or str(_jar(REPO / "engine" / "target", "seldonj-engine-*.jar"))
    argv = [java(), "-Xmx192m", "-jar", jar, "--file",
            str(file), "--http_port", str(http), "--grpc_port", str(grpc), *extra]
    return Server(name, argv, env, log_dir, http, grpc, log_dir / f"{name}.log")


def component(name: str, kind: str, log_dir: Path, env: Dict[str, str] = None) -> Server:
    """One of the example components (components/, Seldon's internal API), ``java -jar ... <kind>``."""
    http, grpc, metrics = free_port(), free_port(), free_port()
    full = dict(os.environ)
    full.update({"PREDICTIVE_UNIT_HTTP_SERVICE_PORT": str(http), "PREDICTIVE_UNIT_GRPC_SERVICE_PORT": str(grpc),
                 "PREDICTIVE_UNIT_METRICS_SERVICE_PORT": str(metrics), "PREDICTIVE_UNIT_ID": name})
    full.update(env or {})
    argv = [java(), "-Xmx96m", "-jar", str(_jar(REPO / "components" / "target", "seldonj-components.jar")), kind]
    return Server(name, argv, full, log_dir, http, grpc, log_dir / f"{name}.log")
