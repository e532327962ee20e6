"""The gRPC API on the gRPC port: the seldon.protos services Generic, Model, Router, Transformer,
OutputTransformer, Combiner and Seldon, all answered by one servicer. Errors are gRPC statuses with a
message that says what is wrong (INVALID_ARGUMENT for bad data, INTERNAL for a failing model)."""
import logging
from concurrent import futures
from typing import Any, Callable, Dict, List, Optional, Tuple

import grpc
from google.protobuf import json_format

from . import payload, tracing
from .errors import as_microservice_exception
from .methods import Component
from .proto import prediction_pb2, prediction_pb2_grpc

logger = logging.getLogger(__name__)

SERVICES = ("Generic", "Model", "Router", "Transformer", "OutputTransformer", "Combiner", "Seldon")


def _abort(context: grpc.ServicerContext, error: BaseException):
    known = as_microservice_exception(error)
    if known is not None:
        code = grpc.StatusCode.INVALID_ARGUMENT if known.status_code < 500 else grpc.StatusCode.INTERNAL
        logger.error("%s", known.to_dict())
        context.abort(code, known.message)
    logger.exception("error in the model")
    context.abort(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")


def _as_message(answer: Any) -> prediction_pb2.SeldonMessage:
    """A raw method may answer a dict: it becomes the SeldonMessage it describes."""
    if isinstance(answer, prediction_pb2.SeldonMessage):
        return answer
    if hasattr(answer, "SerializeToString") and hasattr(answer, "DESCRIPTOR"):
        # the same message type from another copy of the protos (Seldon's package): same wire format
        return prediction_pb2.SeldonMessage.FromString(answer.SerializeToString())
    return payload.parse(answer, prediction_pb2.SeldonMessage, "the answer is not a SeldonMessage")


class SeldonServicer:
    def __init__(self, component: Component, metadata: Optional[Dict]):
        self.component = component
        self.metadata = metadata

    def _call(self, method: Callable, request: Any, context: grpc.ServicerContext) -> prediction_pb2.SeldonMessage:
        if tracing.enabled():
            return self._traced(method, request, context)
        try:
            return _as_message(method(request))
        except Exception as e:  # noqa: BLE001 - every failure becomes a status, the server stays up
            _abort(context, e)

    def _traced(self, method: Callable, request: Any, context: grpc.ServicerContext) -> prediction_pb2.SeldonMessage:
        metadata = {k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
        with tracing.server_span(method.__name__.replace("_", "-"), metadata.get, metadata.keys,
                                 {"rpc.system": "grpc"}) as span:
            try:
                return _as_message(method(request))
            except Exception as e:  # noqa: BLE001
                span.set_attribute("rpc.grpc.status_code",
                                   grpc.StatusCode.INVALID_ARGUMENT.value[0]
                                   if getattr(as_microservice_exception(e), "status_code", 500) < 500
                                   else grpc.StatusCode.INTERNAL.value[0])
                _abort(context, e)

    def Predict(self, request, context):
        return self._call(self.component.predict, request, context)

    def TransformInput(self, request, context):
        return self._call(self.component.transform_input, request, context)

    def TransformOutput(self, request, context):
        return self._call(self.component.transform_output, request, context)

    def Route(self, request, context):
        return self._call(self.component.route, request, context)

    def Aggregate(self, request, context):
        return self._call(self.component.aggregate, request, context)

    def SendFeedback(self, request, context):
        return self._call(self.component.send_feedback, request, context)

    def _metadata(self, context) -> prediction_pb2.SeldonModelMetadata:
        if self.metadata is None:
            context.abort(grpc.StatusCode.INTERNAL, "Model metadata unavailable: it failed validation (see the log)")
        message = prediction_pb2.SeldonModelMetadata()
        json_format.ParseDict(self.metadata, message, ignore_unknown_fields=True)
        return message

    def Metadata(self, request, context):
        return self._metadata(context)

    def ModelMetadata(self, request, context):
        return self._metadata(context)

    def GraphMetadata(self, request, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "GraphMetadata not available on the Model level. The engine answers it.")


def options(max_message_size: Optional[int]) -> List[Tuple[str, Any]]:
    opts: List[Tuple[str, Any]] = [("grpc.so_reuseport", 1)]
    if max_message_size:
        opts += [("grpc.max_send_message_length", max_message_size),
                 ("grpc.max_receive_message_length", max_message_size)]
    return opts


def create_server(component: Component, metadata: Optional[Dict], threads: int,
                  max_message_size: Optional[int]) -> grpc.Server:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max(1, threads)), options=options(max_message_size))
    servicer = SeldonServicer(component, metadata)
    for service in SERVICES:
        getattr(prediction_pb2_grpc, f"add_{service}Servicer_to_server")(servicer, server)
    _enable_reflection(server)
    return server


def _enable_reflection(server: grpc.Server) -> None:
    """Server reflection (grpcurl without a .proto) when grpcio-reflection is installed."""
    try:
        from grpc_reflection.v1alpha import reflection
    except ImportError:
        return
    names = [prediction_pb2.DESCRIPTOR.services_by_name[s].full_name for s in SERVICES]
    reflection.enable_server_reflection(names + [reflection.SERVICE_NAME], server)
