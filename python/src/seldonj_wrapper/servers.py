"""The processes of a microservice: REST (gunicorn, or Flask's server with --debug) in the main process,
gRPC worker processes sharing the port (SO_REUSEPORT), the metrics server, and the class's optional
``custom_service``. A child that dies stops the whole service, so a pod never runs half a component."""
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import wait
from typing import Callable, Dict, List, Optional

from . import tracing
from .methods import Component
from .metrics import CustomMetrics
from .settings import Settings

logger = logging.getLogger(__name__)
# How long stopping servers may take: gunicorn's own graceful timeout (30 s) and a little more.
GRACE_S = 35.0
# The user object is built once and inherited by every worker: fork, whatever the platform's default.
_FORK = multiprocessing.get_context("fork")


class _MetricsHandler(BaseHTTPRequestHandler):
    metrics: CustomMetrics
    path_served: str
    quiet: bool

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path.split("?", 1)[0] != self.path_served:
            self._send(404, b"not found: metrics are at " + self.path_served.encode() + b"\n", "text/plain")
            return
        body, content_type = self.metrics.exposition()
        self._send(200, body, content_type)

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        if not self.quiet:
            logger.info("metrics %s - %s", self.address_string(), fmt % args)


def serve_metrics(settings: Settings, metrics: CustomMetrics) -> None:
    handler = type("MetricsHandler", (_MetricsHandler,), {
        "metrics": metrics, "path_served": settings.metrics_endpoint, "quiet": settings.filter_metrics_access_logs})
    server = ThreadingHTTPServer(("0.0.0.0", settings.metrics_port), handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    logger.info("metrics on port %d at %s", settings.metrics_port, settings.metrics_endpoint)
    server.serve_forever()


def serve_grpc(component: Component, metadata: Optional[Dict], settings: Settings) -> None:
    from .grpc_server import create_server
    component.user.load()
    server = create_server(component, metadata, settings.grpc_threads, settings.grpc_max_message_size)
    server.add_insecure_port(f"0.0.0.0:{settings.grpc_port}")
    server.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    server.stop(grace=5).wait()
    tracing.flush()


def _reserve_port(port: int) -> socket.socket:
    """Holds the gRPC port (SO_REUSEPORT) while the workers bind it, so that nobody else takes it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("0.0.0.0", port))
    return sock


class Supervisor:
    """The main process only supervises: every server is a child. SIGTERM or SIGINT stops them all
    gracefully; a child that exits on its own stops the rest and makes the exit code non-zero."""

    def __init__(self):
        self.children: List[multiprocessing.Process] = []
        self.failed: Optional[str] = None
        self._wake_r, self._wake_w = os.pipe()

    def start(self, name: str, target: Callable, *args) -> None:
        process = _FORK.Process(target=_run_child, args=(name, target) + args, name=name, daemon=False)
        process.start()
        self.children.append(process)

    def run_until_stopped(self, grace_s: float) -> int:
        def on_signal(signum, _frame):
            logger.info("signal %d: stopping", signum)
            os.write(self._wake_w, b"x")
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        sentinels = {p.sentinel: p for p in self.children}
        ready = wait(list(sentinels) + [self._wake_r])
        for fd in ready:
            if fd in sentinels:
                dead = sentinels[fd]
                dead.join(1)
                self.failed = f"{dead.name} exited with code {dead.exitcode}"
                logger.error("%s: stopping the microservice", self.failed)
                break
        self.stop(grace_s)
        return 1 if self.failed else 0

    def stop(self, grace_s: float) -> None:
        for p in self.children:
            if p.is_alive():
                p.terminate()
        deadline = time.monotonic() + grace_s
        for p in self.children:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                logger.warning("%s did not stop within %.0f s: killed", p.name, grace_s)
                p.kill()
                p.join()


def _run_child(name: str, target: Callable, *args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when children stop
    try:
        target(*args)
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("%s failed", name)
        sys.exit(1)


def _gunicorn_app(app, component: Component, metrics: CustomMetrics, settings: Settings):
    from gunicorn.app.base import BaseApplication

    class RestApplication(BaseApplication):
        def load_config(self):
            config = {
                "bind": f"0.0.0.0:{settings.http_port}",
                "worker_class": "gthread",  # keep-alive connections, whatever the thread count
                "workers": settings.workers,
                "threads": 1 if settings.single_threaded else settings.threads,
                "timeout": settings.rest_timeout_s,
                "keepalive": settings.keepalive,
                "max_requests": settings.max_requests,
                "max_requests_jitter": settings.max_requests_jitter,
                "loglevel": settings.log_level.lower(),
                "accesslog": "-" if settings.access_log else None,
                "pidfile": settings.pidfile,
                "worker_exit": lambda server, worker: (metrics.forget_process(worker.pid), tracing.flush()),
                # gunicorn 23+ opens a control socket in $HOME: two components on one host would share it
                "control_socket_disable": True,
            }
            for key, value in config.items():
                if value is not None and key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):  # in each worker, after the fork
            component.user.load()
            return app

    return RestApplication()


def serve_rest(component: Component, metadata: Optional[Dict], metrics: CustomMetrics, settings: Settings) -> None:
    from .rest import create_app
    app = create_app(component, metadata, dict(settings.flask_config))
    if settings.debug:
        component.user.load()
        logger.info("REST (Flask development server) on port %d", settings.http_port)
        app.run(host="0.0.0.0", port=settings.http_port, threaded=not settings.single_threaded)
        return
    logger.info("REST (gunicorn, %d worker(s)) on port %d", settings.workers, settings.http_port)
    _gunicorn_app(app, component, metrics, settings).run()


def run(component: Component, metadata: Optional[Dict], metrics: CustomMetrics, settings: Settings) -> int:
    """Starts every server and returns the exit code once they have stopped."""
    supervisor = Supervisor()
    reserved = _reserve_port(settings.grpc_port) if settings.grpc_workers > 0 else None
    try:
        for i in range(settings.grpc_workers):
            supervisor.start(f"grpc-worker-{i}", serve_grpc, component, metadata, settings)
        if settings.grpc_workers > 0:
            logger.info("gRPC on port %d: %d worker process(es) of %d thread(s)", settings.grpc_port,
                        settings.grpc_workers, settings.grpc_threads)
        supervisor.start("metrics-server", serve_metrics, settings, metrics)
        custom = getattr(component.user.obj, "custom_service", None)
        if callable(custom):
            supervisor.start("custom-service", custom)
        supervisor.start("rest-server", serve_rest, component, metadata, metrics, settings)
        return supervisor.run_until_stopped(grace_s=GRACE_S)
    finally:
        if reserved is not None:
            reserved.close()
