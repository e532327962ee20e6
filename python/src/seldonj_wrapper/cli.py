"""``seldon-core-microservice <Interface> [options]``: Seldon's command, flags and environment."""
import importlib
import json
import logging
import os
import sys
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Sequence

from .errors import BAD_PARAMETER, SeldonMicroserviceException
from .settings import ANNOTATIONS_FILE, Settings

logger = logging.getLogger("seldonj_wrapper")
LOG_FORMAT = "%(asctime)s - %(name)s:%(funcName)s:%(lineno)s - %(levelname)s:  %(message)s"
_TRUE = ("y", "yes", "t", "true", "on", "1")
_FALSE = ("n", "no", "f", "false", "off", "0")


class StartupError(Exception):
    """A problem that stops the microservice before it serves: one clear line, exit code 1."""


def parse_parameters(text: str) -> Dict[str, Any]:
    """``PREDICTIVE_UNIT_PARAMETERS``: ``[{"name", "value", "type"}]`` -> constructor keyword arguments."""
    try:
        parameters = json.loads(text)
    except ValueError as e:
        raise StartupError(f"parameters are not JSON ({e}): {text}") from None
    if not isinstance(parameters, list):
        raise StartupError(f"parameters must be a JSON list of {{name, value, type}}, not {text}")
    casts = {"INT": int, "FLOAT": float, "DOUBLE": float, "STRING": str}
    parsed: Dict[str, Any] = {}
    for i, parameter in enumerate(parameters):
        if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
            raise StartupError(f"parameters[{i}] must be an object with a name, value and type: {parameter!r}")
        name, value, kind = parameter["name"], parameter.get("value"), parameter.get("type")
        text_value = value if isinstance(value, str) else json.dumps(value)
        if kind == "BOOL":
            lowered = text_value.lower()
            if lowered not in _TRUE + _FALSE:
                raise _bad_parameter(name, text_value, kind)
            parsed[name] = lowered in _TRUE
        elif kind in casts:
            try:
                parsed[name] = casts[kind](text_value)
            except ValueError:
                raise _bad_parameter(name, text_value, kind) from None
        else:
            raise SeldonMicroserviceException(
                f"Bad model parameter type: {kind} (parameter {name}); valid are INT, FLOAT, DOUBLE, STRING, BOOL",
                reason=BAD_PARAMETER)
    return parsed


def _bad_parameter(name: str, value: str, kind: str) -> SeldonMicroserviceException:
    return SeldonMicroserviceException(f"Bad model parameter: {name} with value {value} can't be parsed as a {kind}",
                                       reason=BAD_PARAMETER)


def load_annotations(path: str = ANNOTATIONS_FILE) -> Dict[str, str]:
    """The pod's annotations from the downward-API file (``key="value"`` lines), when mounted."""
    annotations: Dict[str, str] = {}
    try:
        with open(path, "r", encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep and len(value) >= 2 and value[0] == value[-1] == '"':
                    annotations[key.strip()] = value[1:-1]
    except FileNotFoundError:
        pass
    except OSError as e:
        logger.error("cannot read the annotations file %s: %s", path, e)
    return annotations


def import_user_class(interface_name: str, directory: str) -> type:
    """``Name`` (the class Name in module Name) or ``package.module.Name``, from the working directory."""
    if directory not in sys.path:
        sys.path.append(directory)
    module_name, _, class_name = interface_name.rpartition(".")
    module_name = module_name or interface_name
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name == module_name or module_name.startswith(f"{e.name}."):
            raise StartupError(f"no module {module_name} (from the interface name {interface_name}) in {directory} "
                               f"or on the Python path") from None
        raise
    user_class = getattr(module, class_name, None)
    if user_class is None:
        raise StartupError(f"module {module_name} ({getattr(module, '__file__', '?')}) has no class {class_name}")
    return user_class


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger().setLevel(level)


def main(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None) -> None:
    sys.exit(run(list(sys.argv[1:] if argv is None else argv), dict(os.environ if env is None else env)))


def run(argv: List[str], env: Dict[str, str]) -> int:
    settings, unknown = Settings.from_args(argv, env, load_annotations())
    setup_logging(settings.log_level)
    if unknown:
        logger.error("unknown arguments %s (since Seldon Core 1.5 the command takes no API type: it serves REST "
                     "and gRPC together)", unknown)
        return 255
    try:
        return _serve(settings, env)
    except (StartupError, SeldonMicroserviceException) as e:
        logger.error("cannot start: %s", getattr(e, "message", e))
        return 1


def _serve(settings: Settings, env: Dict[str, str]) -> int:
    # prometheus_client chooses where values live when first imported: set the shared folder before that.
    metrics_dir = settings.metrics_dir
    owned_dir = None
    if not metrics_dir:
        owned_dir = tempfile.TemporaryDirectory(prefix="seldonj-metrics-")
        metrics_dir = owned_dir.name
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        from . import servers
        from .metadata import model_metadata
        from .methods import Component
        from .metrics import CustomMetrics

        from . import tracing
        try:
            tracing.configure(settings.tracing, env, settings.interface_name, {
                "seldon.deployment": settings.unit.deployment_name, "seldon.predictor": settings.unit.predictor_name,
                "seldon.node.name": settings.unit.unit_id, "seldon.node.type": settings.service_type})
        except tracing.TracingError as e:
            raise StartupError(str(e)) from None
        parameters = parse_parameters(settings.parameters)
        user_class = import_user_class(settings.interface_name, os.getcwd())
        logger.info("creating %s(%s) as a %s", settings.interface_name, ", ".join(parameters), settings.service_type)
        user_object = user_class(**parameters)
        metrics = CustomMetrics(metrics_dir, settings.unit.metric_labels(), legacy_mode=settings.legacy_mode)
        component = Component(user_object, settings, metrics)
        metadata = model_metadata(component.user.init_metadata(), settings.model_metadata, settings.unit)
        return servers.run(component, metadata, metrics, settings)
    finally:
        if owned_dir is not None:
            owned_dir.cleanup()
