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

import numpy as np

logger = logging.getLogger(__name__)

FEEDBACK_KEY = "seldon_api_model_feedback"
FEEDBACK_REWARD_KEY = "seldon_api_model_feedback_reward"
# Seldon's histogram buckets: 50 steps spread logarithmically from 1 ms to 30 s.
BUCKETS = tuple(float(b) for b in np.logspace(-3, np.log10(30), 50))
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
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        if self.directory:
            from prometheus_client import multiprocess
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=self.directory)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self._registry()), CONTENT_TYPE_LATEST

    def forget_process(self, pid: int) -> None:
        """A worker stopped: its series go, as in Seldon (which clears a dying worker's metrics)."""
        if not self.directory:
            return
        for path in glob.glob(os.path.join(self.directory, f"*_{pid}.db")):
            try:
                os.remove(path)
            except OSError:
                pass
