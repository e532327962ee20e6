"""The errors a component answers with, in Seldon's shape: {"status": {"status": 1, "info", "code": -1, "reason"}}."""
from typing import Any, Dict, Optional

BAD_DATA = "MICROSERVICE_BAD_DATA"
INTERNAL_ERROR = "MICROSERVICE_INTERNAL_ERROR"
BAD_METRIC = "MICROSERVICE_BAD_METRIC"
BAD_METADATA = "MICROSERVICE_BAD_METADATA"
BAD_PARAMETER = "MICROSERVICE_BAD_PARAMETER"


class SeldonMicroserviceException(Exception):
    """Raised by the wrapper or by a user class: HTTP ``status_code`` (400 unless given) with ``reason``."""

    status_code = 400

    def __init__(self, message: str, status_code: Optional[int] = None, payload: Any = None,
                 reason: str = BAD_DATA):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.payload = payload
        self.reason = reason

    def to_dict(self) -> Dict[str, Any]:
        return {"status": {"status": 1, "info": self.message, "code": -1, "reason": self.reason}}


class SeldonNotImplementedError(SeldonMicroserviceException):
    """A user method may raise this to say "not implemented here": the wrapper then uses its default."""

    status_code = 400


def is_not_implemented(error: BaseException) -> bool:
    """Ours, or Seldon's own class of that name raised by a model written against Seldon's package."""
    return isinstance(error, SeldonNotImplementedError) or type(error).__name__ == "SeldonNotImplementedError"


def as_microservice_exception(error: BaseException) -> Optional[SeldonMicroserviceException]:
    """The error as ours when it is one, or when it looks like one (a model raising Seldon's own class)."""
    if isinstance(error, SeldonMicroserviceException):
        return error
    status_code = getattr(error, "status_code", None)
    if isinstance(status_code, int) and hasattr(error, "to_dict"):
        return SeldonMicroserviceException(str(getattr(error, "message", error)), status_code=status_code,
                                           reason=str(getattr(error, "reason", BAD_DATA)))
    return None
