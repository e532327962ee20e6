"""Calls a Seldon endpoint with Seldon's own SeldonClient and prints the outcome as one JSON line:
{"success": bool, "msg": str, "request": {...}, "response": {...} | null}. Exit code 0 on success.

  microservice mode (a component's internal API):
    seldon_client_check.py microservice HOST:PORT --transport rest|grpc --method predict|route|
        transform-input|transform-output|aggregate|send-feedback [--data JSON] [--payload-type ndarray|tensor]
  gateway mode (an orchestrator's external API, gateway "seldon"):
    seldon_client_check.py seldon HOST:PORT --transport rest|grpc --method predict|send-feedback [--data JSON]
"""
import argparse
import json
import sys

import numpy as np
from google.protobuf.json_format import MessageToDict
from seldon_core.seldon_client import SeldonClient
from seldon_core.utils import json_to_seldon_message


def to_dict(message):
    if message is None or isinstance(message, dict):
        return message  # the gateway calls may hand back plain dicts
    return MessageToDict(message)


def as_proto(message):
    return json_to_seldon_message(message) if isinstance(message, dict) else message


def call(args):
    data = np.array(json.loads(args.data)) if args.data else np.array([[1.0, 2.0, 5.0]])
    if args.mode == "microservice":
        sc = SeldonClient(microservice_endpoint=args.endpoint)
        if args.method == "aggregate":
            return sc.microservice(method="aggregate", transport=args.transport, datas=[data, data * 3],
                                   payload_type=args.payload_type)
        if args.method == "send-feedback":
            predicted = sc.microservice(method="predict", transport=args.transport, data=data,
                                        payload_type=args.payload_type)
            if not predicted.success:
                return predicted
            return sc.microservice_feedback(prediction_request=predicted.request,
                                            prediction_response=predicted.response, reward=1.0,
                                            transport=args.transport)
        return sc.microservice(method=args.method, transport=args.transport, data=data,
                               payload_type=args.payload_type)
    sc = SeldonClient(gateway="seldon", gateway_endpoint=args.endpoint)
    if args.method == "send-feedback":
        predicted = sc.predict(transport=args.transport, data=data, payload_type=args.payload_type)
        if not predicted.success:
            return predicted
        return sc.feedback(prediction_request=as_proto(predicted.request),
                           prediction_response=as_proto(predicted.response), reward=1.0, transport=args.transport)
    return sc.predict(transport=args.transport, data=data, payload_type=args.payload_type)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["microservice", "seldon"])
    parser.add_argument("endpoint")
    parser.add_argument("--transport", choices=["rest", "grpc"], default="rest")
    parser.add_argument("--method", default="predict")
    parser.add_argument("--data", help="a JSON array, e.g. [[1,2,5]]")
    parser.add_argument("--payload-type", choices=["ndarray", "tensor"], default="ndarray")
    args = parser.parse_args()
    result = call(args)
    print(json.dumps({"success": bool(result.success), "msg": result.msg,
                      "request": to_dict(result.request), "response": to_dict(result.response)}))
    sys.exit(0 if result.success else 1)


if __name__ == "__main__":
    main()
