"""The component's methods as Seldon's wrapper runs them, for a JSON request (REST) or a protobuf one
(gRPC): the ``*_raw`` method first when the class has one, else the plain method, whose answer is
wrapped into a SeldonMessage with merged meta and custom metrics."""
import logging
from typing import Any, Dict, List, Optional, Union

import numpy as np
from google.protobuf import json_format

from . import payload
from .errors import SeldonMicroserviceException
from .metrics import CustomMetrics
from .proto import prediction_pb2
from .settings import Settings
from .user_model import SeldonResponse, UserModel, bad_metric, validate_metrics

logger = logging.getLogger(__name__)

# The method label of custom metrics, per method.
PREDICT, FEEDBACK, INPUT_TRANSFORM, OUTPUT_TRANSFORM = "predict", "feedback", "inputtransform", "outputtransform"
ROUTER, AGGREGATE, HEALTH = "router", "aggregate", "health"

Message = Union[prediction_pb2.SeldonMessage, Dict, List, bytes, str]


class Component:
    def __init__(self, user_object: Any, settings: Settings, metrics: CustomMetrics):
        self.user = user_object if isinstance(user_object, UserModel) else UserModel(user_object)
        self.settings = settings
        self.metrics = metrics
        self.request_path = settings.unit.request_path

    # -- helpers ----------------------------------------------------------------------------------

    def _custom_metrics(self, method: str, runtime: List[Dict]) -> List[Dict]:
        """Records the runtime and the class's metrics; returns what goes into the answer's meta."""
        if not validate_metrics(runtime):
            raise bad_metric(runtime)
        self.metrics.update(runtime, method)
        declared = self.user.metrics()
        if declared is not None:
            self.metrics.update(declared, method)
        if not self.settings.include_metrics_in_response:
            return []
        return (declared or []) + runtime

    def _raw_metrics(self, answer: Any, method: str) -> Any:
        """A raw method's answer may carry meta.metrics: recorded, and dropped from it when so configured."""
        if isinstance(answer, prediction_pb2.SeldonMessage):
            found = [json_format.MessageToDict(m) for m in answer.meta.metrics]
            if found and not self.settings.include_metrics_in_response:
                del answer.meta.metrics[:]
        elif isinstance(answer, dict) and isinstance(answer.get("meta"), dict):
            found = answer["meta"].get("metrics", []) or []
            if found and not self.settings.include_metrics_in_response:
                del answer["meta"]["metrics"]
        else:
            found = []
        if found:
            self.metrics.update(found, method)
        return answer

    def _meta(self, meta: Optional[Dict], response: SeldonResponse, method: str,
              extra_metrics: Optional[List[Dict]] = None) -> payload.MetaParts:
        custom = self._custom_metrics(method, response.metrics)
        if extra_metrics is not None:
            custom = extra_metrics + custom
        return payload.MetaParts(meta, self.user, self.request_path, custom, response.tags)

    def _answer(self, is_proto: bool, request: Any, response: SeldonResponse, meta: payload.MetaParts) -> Message:
        if is_proto:
            return payload.response_proto(self.user, request, response.data, meta)
        return payload.response_json(self.user, request, response.data, meta)

    def _parts(self, request: Any, is_proto: bool):
        if is_proto:
            features, meta, datadef, _ = payload.request_parts_proto(request)
            return features, meta, list(datadef.names)
        features, meta, datadef, _ = payload.request_parts_json(request)
        return features, meta, payload.names_json(datadef)

    def _deprecated(self, name: str, is_proto: bool, request: Any) -> Any:
        variant = f"{name}_grpc" if is_proto else f"{name}_rest"
        if self.user.has(variant):
            logger.warning("%s is deprecated: use %s_raw", variant, name)
            return getattr(self.user.obj, variant)(request)
        return NotImplemented

    def _unary(self, name: str, method_tag: str, request: Message, call, echo_meta: bool) -> Message:
        is_proto = isinstance(request, prediction_pb2.SeldonMessage)
        answer = self._deprecated(name, is_proto, request)
        if answer is not NotImplemented:
            return answer
        answer = self.user.raw(f"{name}_raw", request)
        if answer is not NotImplemented:
            return self._raw_metrics(answer, method_tag)
        features, meta, names = self._parts(request, is_proto)
        response = call(features, names, meta)
        parts = self._meta(meta if echo_meta else None, response, method_tag)
        return self._answer(is_proto, request, response, parts)

    # -- the methods --------------------------------------------------------------------------------

    def predict(self, request: Message) -> Message:
        return self._unary("predict", PREDICT, request, self.user.predict, True)

    def transform_input(self, request: Message) -> Message:
        return self._unary("transform_input", INPUT_TRANSFORM, request, self.user.transform_input, True)

    def transform_output(self, request: Message) -> Message:
        return self._unary("transform_output", OUTPUT_TRANSFORM, request, self.user.transform_output, True)

    def route(self, request: Message) -> Message:
        def call(features, names, meta):
            response = self.user.route(features, names, meta)
            if not isinstance(response.data, (int, np.integer)) or isinstance(response.data, bool):
                raise SeldonMicroserviceException(f"Routing response must be int but got {response.data}")
            response.data = np.array([[int(response.data)]])
            return response
        return self._unary("route", ROUTER, request, call, False)

    def aggregate(self, request: Union[prediction_pb2.SeldonMessageList, Dict, List]) -> Message:
        is_proto = isinstance(request, prediction_pb2.SeldonMessageList)
        answer = self._deprecated("aggregate", is_proto, request)
        if answer is not NotImplemented:
            return answer
        answer = self.user.raw("aggregate_raw", request)
        if answer is not NotImplemented:
            return self._raw_metrics(answer, AGGREGATE)
        if is_proto:
            messages: List[Any] = list(request.seldonMessages)
        elif isinstance(request, list):
            messages = request
        elif isinstance(request, dict) and isinstance(request.get("seldonMessages"), list):
            messages = request["seldonMessages"]
        else:
            raise SeldonMicroserviceException(f"Invalid request data type: {request}")
        if not messages:
            raise SeldonMicroserviceException("aggregate needs at least one message in seldonMessages")
        features_list, names_list, metas = [], [], []
        for message in messages:
            features, meta, names = self._parts(message, is_proto)
            features_list.append(features)
            names_list.append(names)
            metas.append(meta)
        response = self.user.aggregate(features_list, names_list)
        merged: Dict[str, Dict] = {"tags": {}, "requestPath": {}}
        inherited: List[Dict] = []
        for meta in metas:
            if meta:
                merged["tags"].update(meta.get("tags", {}) or {})
                merged["requestPath"].update(meta.get("requestPath", {}) or {})
                inherited.extend(meta.get("metrics", []) or [])
        parts = self._meta(merged, response, AGGREGATE, extra_metrics=inherited)
        return self._answer(is_proto, messages[0], response, parts)

    def send_feedback(self, request: prediction_pb2.Feedback) -> prediction_pb2.SeldonMessage:
        self.metrics.update_reward(request.reward)
        if self.user.has("send_feedback_rest"):
            logger.warning("send_feedback_rest is deprecated: use send_feedback_raw")
            return payload.parse(self.user.obj.send_feedback_rest(json_format.MessageToJson(request)),
                                 prediction_pb2.SeldonMessage)
        if self.user.has("send_feedback_grpc"):
            logger.warning("send_feedback_grpc is deprecated: use send_feedback_raw")
            return payload.parse(self.user.obj.send_feedback_grpc(request), prediction_pb2.SeldonMessage)
        answer = self.user.raw("send_feedback_raw", request)
        if answer is not NotImplemented:
            return self._raw_metrics(answer, FEEDBACK)
        features = payload.array_from_default_data(request.request.data)
        truth = payload.array_from_default_data(request.truth.data)
        routing = request.response.meta.routing.get(self.settings.feedback_unit_id)
        response = self.user.send_feedback(features, list(request.request.data.names), request.reward, truth, routing)
        if response.data is None:
            response.data = np.array([])
        parts = self._meta(None, response, FEEDBACK)
        return payload.response_proto(self.user, request.request, response.data, parts)

    def health_status(self) -> Message:
        answer = self.user.raw("health_status_raw")
        if answer is not NotImplemented:
            return answer
        status = self.user.health_status()
        parts = self._meta(None, SeldonResponse(status), HEALTH)
        return payload.response_json(self.user, {}, status, parts)
