"""The OpenAPI document the engine serves is its contract: schemathesis (bounded, fixed seed) fuzzes every
operation of the served document against the engine jar, in front of a real component (the example
identity-model, Seldon's internal API), and every check must hold: no server error, status codes, content
types, headers and bodies as documented, invalid requests refused, valid ones accepted, 405 with Allow for the
methods an endpoint does not serve. A v2 engine serves the Open Inference Protocol's document instead.

What the fuzzer found, and how each was fixed, is listed in docs/conformance.md.
"""
import os
import subprocess
import sys
from pathlib import Path

from processes import component, engine

# Fixed and bounded in make test; FUZZ_SEED / FUZZ_MAX_EXAMPLES explore further by hand.
SEED = os.environ.get("FUZZ_SEED", "20261207")
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "25")
# Authentication and resource-lifecycle checks have nothing to test on this API (no auth, no resources).
EXCLUDED = "ignored_auth,use_after_free,ensure_resource_availability,object_level_authorization"

SELDON_GRAPH = """apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: {{name: fuzz}}
spec:
  predictors:
  - name: default
    graph:
      name: identity
      type: MODEL
      endpoint: {{service_host: 127.0.0.1, httpPort: {http}, grpcPort: {grpc}, type: REST}}
"""

V2_GRAPH = SELDON_GRAPH.replace("spec:\n", "spec:\n  protocol: v2\n")


def fuzz(base: str, document: str, report: Path) -> subprocess.CompletedProcess:
    st = Path(sys.executable).parent / "schemathesis"
    return subprocess.run([str(st), "run", base + document, "--url", base, "--checks", "all", "--exclude-checks",
                           EXCLUDED, "--seed", SEED, "--max-examples", MAX_EXAMPLES, "--workers", "1",
                           "--phases", "examples,coverage,fuzzing", "--request-timeout", "10", "--continue-on-failure",
                           "--report", "junit", "--report-junit-path", str(report)],
                          capture_output=True, text=True, timeout=300,
                          # its example database and crash cache go to the test's own folder: no run replays
                          # another's failures, so a run is decided by the seed alone
                          cwd=str(report.parent))


def test_the_seldon_document_holds_for_every_operation(tmp_path):
    started = []
    try:
        model = component("identity", "identity-model", tmp_path)
        started.append(model)
        e = engine("engine-seldon", SELDON_GRAPH.format(http=model.http, grpc=model.grpc), tmp_path)
        started.append(e)
        e.wait_ready("/ready")
        run = fuzz(f"http://127.0.0.1:{e.http}", "/api/v1.0/doc/seldon.json", tmp_path / "junit.xml")
        assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-4000:]
    finally:
        for s in started:
            s.stop()
