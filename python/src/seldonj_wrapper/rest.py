"""The REST API on the HTTP port: Seldon's wrapper routes, request forms (JSON body, form or query
``json=``, multipart) and answers (compact JSON with sorted keys, errors as a status object)."""
import base64
import json
import logging
import os
from typing import Any, Dict, Optional, Union
from urllib.parse import parse_qs

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from . import payload, tracing
from .errors import BAD_DATA, BAD_METADATA, INTERNAL_ERROR, SeldonMicroserviceException, as_microservice_exception
from .methods import Component
from .proto import prediction_pb2

logger = logging.getLogger(__name__)
OPENAPI_DIR = os.path.join(os.path.dirname(__file__), "openapi")
_FORM = "application/x-www-form-urlencoded"


def _multipart() -> Dict[str, Any]:
    """Every SeldonMessage field as a form field (JSON, strData as text) or a file (binData, strData)."""
    message: Dict[str, Any] = {}
    for key in request.form:
        value = request.form.get(key)
        if key == "strData":
            message[key] = value
        else:
            try:
                message[key] = json.loads(value)
            except ValueError as e:
                raise SeldonMicroserviceException(f"multipart field {key} is not JSON: {e}") from None
    for key in request.files:
        content = request.files[key].read()
        if key == "binData":
            message[key] = base64.b64encode(content).decode("ascii")
        else:
            try:
                message[key] = content.decode("utf-8")
            except UnicodeDecodeError:
                raise SeldonMicroserviceException(f"multipart file {key} is not UTF-8 text") from None
    return message


def read_request(raw: bool = False) -> Union[Dict, Any]:
    """The request's SeldonMessage (or the text of it, when ``raw``), from whichever form it came in."""
    content_type = request.content_type or ""
    if "multipart/form-data" in content_type:
        return _multipart()
    body = request.get_data(cache=True)
    text: Optional[str] = None
    if content_type.startswith(_FORM) and body:
        values = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).get("json")
        text = values[0] if values else None
    if not text:
        text = request.args.get("json") or None
    if text is not None:
        if raw:
            return text
        try:
            return json.loads(text)
        except ValueError as e:
            raise SeldonMicroserviceException(f"Can't find JSON in data: json parameter: {e}") from None
    if raw:
        if not body:
            raise SeldonMicroserviceException("Can't find data")
        return body
    if not body:
        raise SeldonMicroserviceException("Can't find JSON in data")
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise SeldonMicroserviceException("Can't find JSON in data: the body is not UTF-8") from None
    except ValueError as e:
        raise SeldonMicroserviceException(f"Can't find JSON in data: {e}") from None


def _json(value: Any, status: int = 200) -> Response:
    """Seldon's Flask answer: compact JSON with sorted keys; a protobuf message is written as its JSON."""
    response = current_app.json.response(payload.to_json(value))
    response.status_code = status
    return response


def _error(error: SeldonMicroserviceException) -> Response:
    logger.error("%s", error.to_dict())
    return _json(error.to_dict(), error.status_code)


def create_app(component: Component, metadata: Optional[Dict], flask_config: Dict[str, bool]) -> Flask:
    app = Flask(__name__, static_folder=None)
    _configure(app, flask_config)
    user = component.user.obj
    passthrough = component.settings.payload_passthrough
    if getattr(user, "model_error_handler", None) is not None:
        logger.info("registering the model's error handler blueprint")
        app.register_blueprint(user.model_error_handler)

    @app.errorhandler(Exception)
    def on_error(e: Exception):
        known = as_microservice_exception(e)
        if known is not None:
            return _error(known)
        if isinstance(e, HTTPException):  # unknown path, wrong method: their own status, Seldon's body shape
            return _error(SeldonMicroserviceException(f"{e.code} {e.name}: {e.description}", status_code=e.code,
                                                      reason=BAD_DATA))
        logger.exception("error in the model")
        return _error(SeldonMicroserviceException(str(e), status_code=500, reason=INTERNAL_ERROR))

    if tracing.enabled():
        _trace_requests(app)

    @app.after_request
    def cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.vary.add("Origin")
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
                asked = request.headers.get("Access-Control-Request-Headers")
                if asked:
                    response.headers["Access-Control-Allow-Headers"] = asked
        return response

    @app.route("/seldon.json", methods=["GET"])
    def openapi():
        with open(os.path.join(OPENAPI_DIR, "seldon.json"), "rb") as f:
            return Response(f.read(), mimetype="application/json")

    @app.route("/predict", methods=["GET", "POST"])
    @app.route("/api/v1.0/predictions", methods=["POST"])
    @app.route("/api/v0.1/predictions", methods=["POST"])
    def predict():
        message = read_request(raw=passthrough)
        answer = component.predict(message)
        if passthrough and isinstance(answer, (bytes, str)):
            return Response(answer, mimetype="application/json")
        status = 200
        if isinstance(answer, dict) and isinstance(answer.get("status"), dict):
            code = answer["status"].get("code")
            if isinstance(code, int) and 100 <= code <= 599:
                status = code
        return _json(answer, status)

    @app.route("/send-feedback", methods=["GET", "POST"])
    @app.route("/api/v1.0/feedback", methods=["POST"])
    @app.route("/api/v0.1/feedback", methods=["POST"])
    def send_feedback():
        feedback = payload.parse(read_request(), prediction_pb2.Feedback)
        return _json(component.send_feedback(feedback))

    @app.route("/transform-input", methods=["GET", "POST"])
    def transform_input():
        return _json(component.transform_input(read_request()))

    @app.route("/transform-output", methods=["GET", "POST"])
    def transform_output():
        return _json(component.transform_output(read_request()))

    @app.route("/route", methods=["GET", "POST"])
    def route():
        return _json(component.route(read_request()))

    @app.route("/aggregate", methods=["GET", "POST"])
    def aggregate():
        return _json(component.aggregate(read_request()))

    @app.route("/health/ping", methods=["GET"])
    def ping():
        return "pong"

    @app.route("/health/status", methods=["GET"])
    @app.route("/api/v1.0/health/status", methods=["GET"])
    def health_status():
        return _json(component.health_status())

    @app.route("/metadata", methods=["GET"])
    @app.route("/api/v1.0/metadata", methods=["GET"])
    def model_metadata():
        if metadata is None:
            raise SeldonMicroserviceException("Model metadata unavailable", status_code=500, reason=BAD_METADATA)
        return _json(metadata)

    return app


def _trace_requests(app: Flask) -> None:
    """A server span per request, continuing the caller's trace, ended when the answer is written."""
    @app.before_request
    def start_span():
        if request.path.startswith("/health/") or request.path == "/metadata":
            return
        span = tracing.server_span(request.path.lstrip("/") or "/", request.headers.get,
                                   lambda: [k for k, _ in request.headers.items()],
                                   {"http.request.method": request.method, "url.path": request.path})
        g.seldonj_span = span
        g.seldonj_span_value = span.__enter__()

    @app.after_request
    def status(response: Response) -> Response:
        span = g.get("seldonj_span_value")
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                from opentelemetry.trace import Status, StatusCode
                span.set_status(Status(StatusCode.ERROR))
        return response

    @app.teardown_request
    def end_span(error):
        span = g.pop("seldonj_span", None)
        if span is not None:
            span.__exit__(None, None, None)


def _configure(app: Flask, flask_config: Dict[str, bool]) -> None:
    """Seldon's FLASK_* switches; the JSON ones act on Flask's JSON provider."""
    for name, value in flask_config.items():
        if name == "JSON_SORT_KEYS":
            app.json.sort_keys = value
        elif name == "JSON_AS_ASCII":
            app.json.ensure_ascii = value
        elif name == "JSONIFY_PRETTYPRINT_REGULAR":
            app.json.compact = not value
        else:
            app.config[name] = value
