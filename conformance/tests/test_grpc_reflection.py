"""gRPC server reflection through the local runner's gateway, with the real grpcurl: the runner renders a
SeldonDeployment with the controller and runs its pods' containers (the engine jar, the example identity-model);
grpcurl, given the seldon/namespace metadata as Seldon's gRPC Mappings want it, lists the engine's services and
describes Seldon's, then predicts by reflection alone (no .proto files)."""
import json
import os
import subprocess
import time
import urllib.request

import pytest

from processes import REPO, Server, free_port, java

GRPCURL = REPO / ".tools" / "grpcurl" / "bin" / "grpcurl"
SDEP = """apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: {name: reflected, namespace: conformance}
spec:
  predictors:
  - name: main
    graph: {name: model, type: MODEL}
    componentSpecs: [{spec: {containers: [{name: model, image: "seldonj/identity-model:0.1.0"}]}}]
"""


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    if os.environ.get("CONFORMANCE_GRPCURL") == "no":
        pytest.skip("make test-fast leaves grpcurl (Go) out; make test runs this")
    assert GRPCURL.exists(), f"{GRPCURL} missing: make grpcurl-tool builds it"
    folder = tmp_path_factory.mktemp("reflection")
    (folder / "sdep.yaml").write_text(SDEP)
    port = free_port()
    runner = Server("local-runner", [java(), "-jar", str(REPO / "local" / "target" / "seldonj-local.jar"), "run", "-f",
                                     str(folder / "sdep.yaml"), "--gateway-port", str(port), "--repo-dir", str(REPO),
                                     "--seed", "1"], dict(os.environ), folder, port, port, folder / "runner.log")
    try:
        deadline = time.monotonic() + 150
        url = runner.url("/seldon/conformance/reflected/api/v1.0/predictions")
        while True:
            try:
                request = urllib.request.Request(url, data=b'{"data":{"ndarray":[[1.0]]}}', method="POST",
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if runner.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the local runner did not serve the deployment:\n" + runner.output()[-6000:])
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        runner.stop()


def grpcurl(address: str, *args: str, data: str = None) -> str:
    """``grpcurl -plaintext -H seldon:... -H namespace:... [-d data] address args...``; its output."""
    flags = ["-plaintext", "-H", "seldon: reflected", "-H", "namespace: conformance"] + (["-d", data] if data else [])
    run = subprocess.run([str(GRPCURL), *flags, address, *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_grpcurl_lists_and_describes_the_engines_services(gateway):
    services = grpcurl(gateway, "list").split()
    assert "seldon.protos.Seldon" in services
    assert "grpc.health.v1.Health" in services
    described = grpcurl(gateway, "describe", "seldon.protos.Seldon")
    assert "rpc Predict ( .seldon.protos.SeldonMessage ) returns ( .seldon.protos.SeldonMessage );" in described
    assert "SeldonMessage" in grpcurl(gateway, "describe", "seldon.protos.SeldonMessage")


def test_grpcurl_predicts_by_reflection_alone(gateway):
    answer = json.loads(grpcurl(gateway, "seldon.protos.Seldon/Predict", data='{"data": {"ndarray": [[1.5, 2.5]]}}'))
    assert answer["data"]["ndarray"] == [[1.5, 2.5]]
    assert answer["meta"]["requestPath"] == {"model": "seldonj/identity-model:0.1.0"}


def test_without_the_seldon_metadata_the_gateway_names_what_it_wants(gateway):
    run = subprocess.run([str(GRPCURL), "-plaintext", gateway, "list"], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "no gRPC Mapping matches" in run.stderr
