"""Every setting of the microservice: Seldon's command-line flags and environment variables, with their
defaults, read in one place (``Settings.from_args``) and passed down; nothing else reads the environment."""
import argparse
import json
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

SERVICE_TYPES = ("MODEL", "ROUTER", "TRANSFORMER", "OUTPUT_TRANSFORMER", "COMBINER", "OUTLIER_DETECTOR")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
ANNOTATIONS_FILE = "/etc/podinfo/annotations"
ANNOTATION_GRPC_MAX_MSG_SIZE = "seldon.io/grpc-max-message-size"
ANNOTATION_REST_TIMEOUT = "seldon.io/rest-timeout"
# Seldon's default gunicorn timeout, in seconds (the annotation, in milliseconds, overrides it).
DEFAULT_REST_TIMEOUT_S = 5000
FLASK_BOOLEAN_CONFIGS = (
    "DEBUG", "EXPLAIN_TEMPLATE_LOADING", "JSONIFY_PRETTYPRINT_REGULAR", "JSON_AS_ASCII", "JSON_SORT_KEYS",
    "PROPAGATE_EXCEPTIONS", "PRESERVE_CONTEXT_ON_EXCEPTION", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE",
    "SESSION_REFRESH_EACH_REQUEST", "TEMPLATES_AUTO_RELOAD", "TESTING", "TRAP_HTTP_EXCEPTIONS",
    "TRAP_BAD_REQUEST_ERRORS", "USE_X_SENDFILE",
)


def env_bool(env: Mapping[str, str], name: str, default: Optional[bool]) -> Optional[bool]:
    value = env.get(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "t")


def split_image(image: str) -> Tuple[str, str]:
    """``repo/name:tag`` -> (``repo/name``, ``tag``); a registry port stays in the name."""
    *name, version = image.split(":")
    return ":".join(name), version


@dataclass(frozen=True)
class Unit:
    """Who this component is in the graph: what the operator put in the container's environment."""

    unit_id: str = NOT_IMPLEMENTED
    image: str = f"{NOT_IMPLEMENTED}:{NOT_IMPLEMENTED}"
    image_set: bool = False
    deployment_name: str = NOT_IMPLEMENTED
    predictor_name: str = NOT_IMPLEMENTED
    predictor_version: str = NOT_IMPLEMENTED

    @property
    def request_path(self) -> Dict[str, str]:
        return {} if self.unit_id == NOT_IMPLEMENTED else {self.unit_id: self.image}

    def metric_labels(self) -> Dict[str, str]:
        model_image, model_version = split_image(self.image)
        return {
            "deployment_name": self.deployment_name, "model_name": self.unit_id, "model_image": model_image,
            "model_version": model_version, "predictor_name": self.predictor_name,
            "predictor_version": self.predictor_version,
            # the label names Seldon kept for dashboards older than 1.3
            "seldon_deployment_name": self.deployment_name, "image_name": model_image,
            "image_version": model_version,
        }

    @staticmethod
    def from_env(env: Mapping[str, str]) -> "Unit":
        try:
            labels = json.loads(env.get("PREDICTOR_LABELS", "{}"))
        except ValueError:
            labels = {}
        version = labels.get("version", NOT_IMPLEMENTED) if isinstance(labels, dict) else NOT_IMPLEMENTED
        return Unit(unit_id=env.get("PREDICTIVE_UNIT_ID", NOT_IMPLEMENTED),
                    image=env.get("PREDICTIVE_UNIT_IMAGE", f"{NOT_IMPLEMENTED}:{NOT_IMPLEMENTED}"),
                    image_set="PREDICTIVE_UNIT_IMAGE" in env,
                    deployment_name=env.get("SELDON_DEPLOYMENT_ID", NOT_IMPLEMENTED),
                    predictor_name=env.get("PREDICTOR_ID", NOT_IMPLEMENTED),
                    predictor_version=str(version))


@dataclass(frozen=True)
class Settings:
    interface_name: str = "Model"
    service_type: str = "MODEL"
    parameters: str = "[]"
    log_level: str = "INFO"
    debug: bool = False
    tracing: bool = False
    workers: int = 1
    threads: int = 1
    max_requests: int = 0
    max_requests_jitter: int = 0
    keepalive: int = 2
    single_threaded: bool = False
    http_port: int = 9000
    grpc_port: int = 5000
    metrics_port: int = 6000
    pidfile: Optional[str] = None
    access_log: bool = False
    grpc_threads: int = 1
    grpc_workers: int = 1
    metrics_endpoint: str = "/metrics"
    include_metrics_in_response: bool = True
    payload_passthrough: bool = False
    filter_metrics_access_logs: bool = True
    model_metadata: str = "{}"
    feedback_unit_id: str = "0"
    legacy_mode: bool = False
    unit: Unit = field(default_factory=Unit)
    flask_config: Tuple[Tuple[str, bool], ...] = ()
    annotations: Tuple[Tuple[str, str], ...] = ()
    metrics_dir: Optional[str] = None

    @property
    def annotation(self) -> Dict[str, str]:
        return dict(self.annotations)

    @property
    def rest_timeout_s(self) -> int:
        value = self.annotation.get(ANNOTATION_REST_TIMEOUT)
        if value is None:
            return DEFAULT_REST_TIMEOUT_S
        try:
            return int(int(value) / 1000) or 1
        except ValueError:
            return DEFAULT_REST_TIMEOUT_S

    @property
    def grpc_max_message_size(self) -> Optional[int]:
        value = self.annotation.get(ANNOTATION_GRPC_MAX_MSG_SIZE)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    @staticmethod
    def from_args(argv: Sequence[str], env: Mapping[str, str],
                  annotations: Optional[Dict[str, str]] = None) -> Tuple["Settings", List[str]]:
        """Parses Seldon's command line; returns the settings and the arguments it did not know."""
        args, unknown = _parser(env).parse_known_args(list(argv))
        debug = bool(args.debug)
        flask_config = tuple((name, value) for name, value in
                             ((name, env_bool(env, "FLASK_" + name, None)) for name in FLASK_BOOLEAN_CONFIGS)
                             if value is not None)
        settings = Settings(
            interface_name=args.interface_name, service_type=args.service_type, parameters=args.parameters,
            log_level=env.get("SELDON_LOG_LEVEL", args.log_level).upper(), debug=debug,
            tracing=bool(args.tracing), workers=args.workers, threads=args.threads,
            max_requests=args.max_requests, max_requests_jitter=args.max_requests_jitter,
            keepalive=args.keepalive, single_threaded=bool(args.single_threaded), http_port=args.http_port,
            grpc_port=args.grpc_port, metrics_port=args.metrics_port, pidfile=args.pidfile,
            access_log=bool(args.access_log), grpc_threads=int(args.grpc_threads),
            grpc_workers=int(args.grpc_workers),
            metrics_endpoint=env.get("PREDICTIVE_UNIT_METRICS_ENDPOINT", "/metrics"),
            include_metrics_in_response=env.get("INCLUDE_METRICS_IN_CLIENT_RESPONSE", "true").lower() == "true",
            payload_passthrough=bool(env_bool(env, "PAYLOAD_PASSTHROUGH", False)),
            filter_metrics_access_logs=bool(env_bool(env, "FILTER_METRICS_ACCESS_LOGS", not debug)),
            model_metadata=env.get("MODEL_METADATA", "{}"),
            feedback_unit_id=env.get("PREDICTIVE_UNIT_ID", "0"),
            legacy_mode=env.get("SELDON_EXECUTOR_ENABLED", "true").lower() == "false",
            unit=Unit.from_env(env), flask_config=flask_config,
            annotations=tuple(sorted((annotations or {}).items())),
            metrics_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or env.get("prometheus_multiproc_dir"))
        return settings, unknown


def _int_env(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"environment variable {name}={value!r} is not an integer")


def _parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="seldon-core-microservice",
                                description="Serve a Python class as a Seldon Core v1 component (REST, gRPC, metrics).")
    p.add_argument("interface_name", help="the user class: Name (module Name.py) or module.Name")
    p.add_argument("--service-type", choices=SERVICE_TYPES, default="MODEL")
    p.add_argument("--persistence", nargs="?", default=0, const=1, type=int, help="deprecated, ignored")
    p.add_argument("--parameters", default=env.get("PREDICTIVE_UNIT_PARAMETERS", "[]"),
                   help="JSON list of {name, value, type}; default $PREDICTIVE_UNIT_PARAMETERS")
    p.add_argument("--log-level", choices=LOG_LEVELS, default="INFO")
    p.add_argument("--debug", nargs="?", type=bool, const=True,
                   default=env_bool(env, "SELDON_DEBUG", False), help="Flask's development server")
    p.add_argument("--tracing", nargs="?", type=int, const=1, default=_int_env(env, "TRACING", 0))
    p.add_argument("--workers", type=int, default=_int_env(env, "GUNICORN_WORKERS", 1))
    p.add_argument("--threads", type=int, default=_int_env(env, "GUNICORN_THREADS", 1))
    p.add_argument("--max-requests", type=int, default=_int_env(env, "GUNICORN_MAX_REQUESTS", 0))
    p.add_argument("--max-requests-jitter", type=int, default=_int_env(env, "GUNICORN_MAX_REQUESTS_JITTER", 0))
    p.add_argument("--keepalive", type=int, default=_int_env(env, "GUNICORN_KEEPALIVE", 2))
    p.add_argument("--single-threaded", type=int, default=_int_env(env, "FLASK_SINGLE_THREADED", 0))
    p.add_argument("--http-port", type=int, default=_int_env(env, "PREDICTIVE_UNIT_HTTP_SERVICE_PORT", 9000))
    p.add_argument("--grpc-port", type=int, default=_int_env(env, "PREDICTIVE_UNIT_GRPC_SERVICE_PORT", 5000))
    p.add_argument("--metrics-port", type=int, default=_int_env(env, "PREDICTIVE_UNIT_METRICS_SERVICE_PORT", 6000))
    p.add_argument("--pidfile", default=None)
    p.add_argument("--access-log", nargs="?", type=bool, const=True,
                   default=env_bool(env, "GUNICORN_ACCESS_LOG", False))
    p.add_argument("--grpc-threads", type=int, default=_int_env(env, "GRPC_THREADS", 1))
    p.add_argument("--grpc-workers", type=int, default=_int_env(env, "GRPC_WORKERS", 1))
    return p
