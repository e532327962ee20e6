"""An Apache-2.0 drop-in for Seldon Core v1's Python wrapper: ``seldon-core-microservice <Class>``."""
from .errors import SeldonMicroserviceException, SeldonNotImplementedError
from .user_model import SeldonComponent, SeldonResponse

__version__ = "0.1.0"


def create_counter(key: str, value: float) -> dict:
    """A COUNTER custom metric for ``metrics()`` or a SeldonResponse."""
    return {"key": key, "type": "COUNTER", "value": value + 0}


def create_gauge(key: str, value: float) -> dict:
    return {"key": key, "type": "GAUGE", "value": value + 0}


def create_timer(key: str, value: float) -> dict:
    """A TIMER in milliseconds."""
    return {"key": key, "type": "TIMER", "value": value + 0}


__all__ = ["SeldonComponent", "SeldonResponse", "SeldonMicroserviceException", "SeldonNotImplementedError",
           "create_counter", "create_gauge", "create_timer", "__version__"]
