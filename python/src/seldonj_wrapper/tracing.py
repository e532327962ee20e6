"""``--tracing`` / ``TRACING=1``: a server span per REST or gRPC call, continuing the caller's trace (the engine's
step span), exported over OTLP/HTTP. Seldon's wrapper did this with jaeger-client from the ``JAEGER_*``
environment; here OpenTelemetry reads the same variables (and ``OTEL_*``, which win), mapped as the engine
maps them (docs/tracing.md). The caller's context is read in any of W3C ``traceparent``, Jaeger
``uber-trace-id`` or B3 headers; nothing is written back. Off, no tracing code runs on a request."""
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Optional, Tuple
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_TRUE_RATIO_SAMPLERS = ("traceidratio", "parentbased_traceidratio")
_OTEL_SAMPLERS = ("always_on", "always_off", "parentbased_always_on", "parentbased_always_off") + _TRUE_RATIO_SAMPLERS


class TracingError(ValueError):
    """A tracing variable with a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class TracingConfig:
    service_name: str
    endpoint: str
    sampler: str
    sampler_arg: Optional[float]
    export_delay_ms: int

    @staticmethod
    def from_env(env: Mapping[str, str], default_service: str) -> "TracingConfig":
        def get(name: str) -> Optional[str]:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        service = get("OTEL_SERVICE_NAME") or get("JAEGER_SERVICE_NAME") or default_service
        protocol = (get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or get("OTEL_EXPORTER_OTLP_PROTOCOL")
                    or "http/protobuf").lower()
        if protocol != "http/protobuf":
            raise TracingError(f"OTEL_EXPORTER_OTLP_PROTOCOL '{protocol}': only http/protobuf is supported")
        if get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
            endpoint = _url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        elif get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            endpoint = _url("OTEL_EXPORTER_OTLP_ENDPOINT", get("OTEL_EXPORTER_OTLP_ENDPOINT").rstrip("/") + "/v1/traces")
        elif get("JAEGER_ENDPOINT"):
            host = urlsplit(_url("JAEGER_ENDPOINT", get("JAEGER_ENDPOINT")))
            endpoint = f"{host.scheme}://{_host(host.hostname)}:4318/v1/traces"
        else:
            endpoint = f"http://{_host(get('JAEGER_AGENT_HOST') or 'localhost')}:4318/v1/traces"
        sampler, arg = _sampler(get)
        delay = get("OTEL_BSP_SCHEDULE_DELAY") or "1000"
        if not delay.isdigit() or int(delay) < 1:
            raise TracingError(f"OTEL_BSP_SCHEDULE_DELAY '{delay}' must be a whole number of ms, 1 or more")
        return TracingConfig(service, endpoint, sampler, arg, int(delay))


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TracingError(f"{name} '{value}' must be an http:// or https:// URL with a host")
    return value


def _number(name: str, value: Optional[str], default: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise TracingError(f"{name} '{value}' is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise TracingError(f"{name} '{value}' is not a number")
    return number


def _ratio(name: str, value: Optional[str], default: float) -> float:
    ratio = _number(name, value, default)
    if not 0 <= ratio <= 1:
        raise TracingError(f"{name} '{value}' must be a probability between 0 and 1")
    return ratio


def _sampler(get: Callable[[str], Optional[str]]) -> Tuple[str, Optional[float]]:
    """OTEL_TRACES_SAMPLER, else Jaeger's sampler as its parent-based equivalent, else every trace."""
    otel = get("OTEL_TRACES_SAMPLER")
    if otel:
        otel = otel.lower()
        if otel not in _OTEL_SAMPLERS:
            raise TracingError(f"OTEL_TRACES_SAMPLER '{otel}' must be one of {', '.join(_OTEL_SAMPLERS)}")
        arg = _ratio("OTEL_TRACES_SAMPLER_ARG", get("OTEL_TRACES_SAMPLER_ARG"), 1.0) \
            if otel in _TRUE_RATIO_SAMPLERS else None
        return otel, arg
    jaeger = (get("JAEGER_SAMPLER_TYPE") or "").lower()
    param = get("JAEGER_SAMPLER_PARAM")
    if not jaeger:
        return "parentbased_always_on", None
    if jaeger == "const":
        on = _number("JAEGER_SAMPLER_PARAM", param, 1.0) != 0
        return ("parentbased_always_on" if on else "parentbased_always_off"), None
    if jaeger in ("probabilistic", "remote"):
        return "parentbased_traceidratio", _ratio("JAEGER_SAMPLER_PARAM", param, 1.0 if jaeger != "remote" else 0.001)
    if jaeger == "ratelimiting":
        # No rate-limiting sampler in OpenTelemetry's Python SDK; a wrapper's share of traces follows the engine's.
        _number("JAEGER_SAMPLER_PARAM", param, 1.0)
        return "parentbased_always_on", None
    raise TracingError(f"JAEGER_SAMPLER_TYPE '{jaeger}' must be const, probabilistic, ratelimiting or remote")


class _Tracing:
    """The process's tracer, made on first use in each process: the servers are forked children, and the span
    exporter's thread does not survive a fork."""

    def __init__(self, config: TracingConfig, attributes: Mapping[str, str]):
        self.config = config
        self.attributes = dict(attributes)
        self._pid = None
        self._tracer = None
        self._provider = None
        self._lock = threading.Lock()
        from opentelemetry.propagators.b3 import B3MultiFormat
        from opentelemetry.propagators.composite import CompositePropagator
        from opentelemetry.propagators.jaeger import JaegerPropagator
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
        self.extractor = CompositePropagator([JaegerPropagator(), B3MultiFormat(), TraceContextTextMapPropagator()])

    def tracer(self):
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._tracer = self._start()
                    self._pid = os.getpid()
        return self._tracer

    def _start(self):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace import sampling
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        c = self.config
        sampler = {
            "always_on": lambda: sampling.ALWAYS_ON,
            "always_off": lambda: sampling.ALWAYS_OFF,
            "traceidratio": lambda: sampling.TraceIdRatioBased(c.sampler_arg),
            "parentbased_always_on": lambda: sampling.ParentBased(sampling.ALWAYS_ON),
            "parentbased_always_off": lambda: sampling.ParentBased(sampling.ALWAYS_OFF),
            "parentbased_traceidratio": lambda: sampling.ParentBased(sampling.TraceIdRatioBased(c.sampler_arg)),
        }[c.sampler]()
        provider = TracerProvider(resource=Resource.create({"service.name": c.service_name, **self.attributes}),
                                  sampler=sampler)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=c.endpoint),
                                                       schedule_delay_millis=c.export_delay_ms))
        self._provider = provider
        return provider.get_tracer("seldonj_wrapper")


_tracing: Optional[_Tracing] = None


def configure(enabled: bool, env: Mapping[str, str], default_service: str, attributes: Mapping[str, str]) -> None:
    """Called once at start-up, before the servers fork; raises TracingError naming a bad variable."""
    global _tracing
    if not enabled:
        _tracing = None
        return
    config = TracingConfig.from_env(env, default_service)
    _tracing = _Tracing(config, attributes)
    logger.info("tracing on: service '%s', spans to %s (OTLP/HTTP), sampler %s%s", config.service_name,
                config.endpoint, config.sampler, "" if config.sampler_arg is None else f" {config.sampler_arg}")


def enabled() -> bool:
    return _tracing is not None


def flush() -> None:
    """Exports the spans this process still holds (the servers call it as they stop: forked children leave
    with os._exit, which skips atexit)."""
    if _tracing is not None and _tracing._pid == os.getpid() and _tracing._provider is not None:
        _tracing._provider.force_flush(timeout_millis=5000)


class _Getter:
    """Reads headers from pairs (gRPC metadata) or a case-insensitive mapping (Flask's)."""

    def __init__(self, lookup: Callable[[str], Optional[str]], keys: Callable[[], Iterable[str]]):
        self.lookup = lookup
        self.names = keys

    def get(self, carrier, key: str):
        value = self.lookup(key)
        return None if value is None else [value]

    def keys(self, carrier):
        return list(self.names())


@contextmanager
def server_span(name: str, lookup: Callable[[str], Optional[str]], keys: Callable[[], Iterable[str]],
                attributes: Mapping[str, object]) -> Iterator[Optional[object]]:
    """A SERVER span for one call, child of the caller's context; yields it (None when tracing is off)."""
    if _tracing is None:
        yield None
        return
    from opentelemetry.trace import SpanKind
    parent = _tracing.extractor.extract(carrier=None, getter=_Getter(lookup, keys))
    with _tracing.tracer().start_as_current_span(name, context=parent, kind=SpanKind.SERVER,
                                                 attributes={**_tracing.attributes, **attributes}) as span:
        yield span
