"""Predicts through Emissary with Seldon's own Python client, REST and gRPC, as users do."""
import argparse
import sys

import numpy as np
from seldon_core.seldon_client import SeldonClient


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployment", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--endpoint", default="localhost:8003")
    args = parser.parse_args()
    client = SeldonClient(deployment_name=args.deployment, namespace=args.namespace,
                          gateway="ambassador", gateway_endpoint=args.endpoint)
    failures = 0
    for transport in ("rest", "grpc"):
        for payload_type in ("ndarray", "tensor"):
            result = client.predict(transport=transport, payload_type=payload_type,
                                    data=np.array([[1.0, 2.0, 3.0, 4.0]]))
            print(f"{transport}/{payload_type}: success={result.success} {result.msg}")
            if not result.success:
                failures += 1
            else:
                print(result.response)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
