"""Custom metrics (COUNTER, GAUGE, TIMER) from every worker process, exposed together on the metrics
port in Seldon's form: one series per worker (label ``worker_id``), the method that recorded it
(``method``), the unit's labels, the metric's own tags; TIMER milliseconds in a histogram in seconds.

Each process writes its values to memory-mapped files in a shared directory (prometheus_client's
multiprocess mode), so recording a metric costs no inter-process round trip and a request without
metrics costs nothing."""
import glob
import logging
import os
import re
from typing import Callable, Dict, List, Optional, Tuple


logger = logging.getLogger(__name__)

FEEDBACK_KEY = "seldon_api_model_feedback"
FEEDBACK_REWARD_KEY = "seldon_api_model_feedback_reward"
# Seldon's histogram buckets: 50 steps spread logarithmically from 1 ms to 30 s, written out as Seldon's
# wrapper computes them (numpy's logspace differs in the last digit between numpy versions).
BUCKETS = (
    0.001, 0.0012341553253454693, 0.0015231393670785815, 0.0018797905611233593, 0.0023199535315445415,
    0.002863183005509725, 0.0035336125536884733, 0.004361026750842238, 0.005382184388525997,
    0.006642451525090608, 0.008197816923039709, 0.010117379411776668, 0.012486417679584786,
    0.015410178873747385, 0.019018554321561593, 0.02347185009632733, 0.028967908792092944,
    0.03575089889988335, 0.04412216226317852, 0.05445360152285871, 0.06720420230367624, 0.0829404241586763,
    0.10236136616184238, 0.12632982515827532, 0.15591062646904755, 0.19241792993472334, 0.2374736129208902,
    0.2930793240153456, 0.3617054084821892, 0.44640065608455204, 0.5509277469444613, 0.6799304127720881,
    0.8391397397870157, 1.035628778567157, 1.2781267721496807, 1.5774069623151439, 1.9467652027782552,
    2.402610642206036, 2.965194718810281, 3.65951085290597, 4.516404807273444, 5.573945044312399,
    6.879113959621136, 8.489895126924782, 10.477849282518772, 12.931293490187748, 15.959224724520412,
    19.696162182151948, 24.30812344597087, 29.999999999999996,
)
# The text format's content type as Prometheus servers of every version read it (Seldon's, less its
# doubled charset); newer prometheus_client versions announce a format version older servers do not know.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class CustomMetrics:
    """Records custom metrics of this process; ``exposition()`` reads every process's."""

    def __init__(self, directory: Optional[str], default_labels: Dict[str, str], legacy_mode: bool = False,
                 worker_id: Callable[[], int] = os.getpid):
        self.directory = directory
        self.default_labels = dict(default_labels)
        self.legacy_mode = legacy_mode
        self.worker_id = worker_id
        self._families: Dict[Tuple[str, str, Tuple[str, ...]], object] = {}
        self._local_registry = None

    def update_reward(self, reward: float) -> None:
        if not reward or self.legacy_mode:
            return
        self.update([{"type": "COUNTER", "key": FEEDBACK_KEY, "value": 1}], "feedback")
        self.update([{"type": "COUNTER", "key": FEEDBACK_REWARD_KEY, "value": reward}], "feedback")

    def update(self, metrics: List[Dict], method: str) -> None:
        for metric in metrics:
            kind = metric.get("type", "COUNTER")
            key = metric.get("key")
            if isinstance(metric.get("tags"), dict):
                # as Seldon's wrapper: the metric's own tags gain the method, and so does the answer's meta
                metric["tags"]["method"] = method
            tags = {str(k): str(v) for k, v in (metric.get("tags") or {}).items()}
            tags["method"] = method
            labels = {**tags, **self.default_labels, "worker_id": str(self.worker_id())}
            problem = self._problem(kind, key, labels)
            if problem:
                logger.warning("custom metric %r skipped: %s", metric, problem)
                continue
            family = self._family(kind, key, tuple(labels))
            child = family.labels(**labels)
            value = float(metric["value"])
            if kind == "COUNTER":
                child.inc(value) if value >= 0 else logger.warning("counter %s: negative increment %s skipped", key, value)
            elif kind == "GAUGE":
                child.set(value)
            else:
                child.observe(value / 1000.0)  # TIMER values are milliseconds

    @staticmethod
    def _problem(kind: str, key: object, labels: Dict[str, str]) -> Optional[str]:
        if kind not in ("COUNTER", "GAUGE", "TIMER"):
            return f"type {kind!r} is not COUNTER, GAUGE or TIMER"
        if not isinstance(key, str) or not _NAME.match(key):
            return f"key {key!r} is not a Prometheus metric name"
        bad = [name for name in labels if not _LABEL.match(name) or name.startswith("__")]
        return f"tag names {bad} are not Prometheus label names" if bad else None

    def _family(self, kind: str, key: str, label_names: Tuple[str, ...]):
        cache_key = (kind, key, label_names)
        family = self._families.get(cache_key)
        if family is None:
            from prometheus_client import Counter, Gauge, Histogram
            registry = self._registry()
            if kind == "COUNTER":
                family = Counter(key, "", label_names, registry=registry)
            elif kind == "GAUGE":
                family = Gauge(key, "", label_names, registry=registry, multiprocess_mode="livemax")
            else:
                family = Histogram(key, "", label_names, registry=registry, buckets=BUCKETS)
            self._families[cache_key] = family
        return family

    def _registry(self):
        # With a shared directory the values live in files and are collected from there; without one
        # (a single process, e.g. in tests) they are registered here.
        if self.directory:
            return None
        if self._local_registry is None:
            from prometheus_client import CollectorRegistry
            self._local_registry = CollectorRegistry()
        return self._local_registry

    def exposition(self) -> Tuple[bytes, str]:
        from prometheus_client import CollectorRegistry, generate_latest
        if self.directory:
            from prometheus_client import multiprocess
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=self.directory)
            return generate_latest(registry), CONTENT_TYPE
        return generate_latest(self._registry()), CONTENT_TYPE

    def forget_process(self, pid: int) -> None:
        """A worker stopped: its series go, as in Seldon (which clears a dying worker's metrics)."""
        if not self.directory:
            return
        for path in glob.glob(os.path.join(self.directory, f"*_{pid}.db")):
            try:
                os.remove(path)
            except OSError:
                pass
