"""SKLEARN_SERVER on the Seldon protocol: serves a scikit-learn estimator saved with joblib or pickle.

Run by this project's Apache-2.0 wrapper: ``seldon-core-microservice SKLearnServer --service-type MODEL``.
The operator passes ``model_uri`` (``/mnt/models``, where the storage initializer put the model) in
PREDICTIVE_UNIT_PARAMETERS; ``method`` chooses the estimator method each prediction calls.
"""
import logging
import os
import pickle
from typing import Dict, List, Optional

from seldonj_wrapper import SeldonMicroserviceException
from seldonj_wrapper.model_folder import find_model_file, model_folder, read_metadata

logger = logging.getLogger(__name__)

MODEL_FILES = ("model.joblib", "model.pkl", "model.pickle")
METHODS = ("predict_proba", "predict", "decision_function")


class SKLearnServer:
    """Seldon's SKLearnServer parameters: ``model_uri`` (folder) and ``method`` (predict_proba by default)."""

    def __init__(self, model_uri: str = None, method: str = "predict_proba"):
        if method not in METHODS:
            raise SeldonMicroserviceException(
                f"method {method!r} is not one of {', '.join(METHODS)}", reason="MICROSERVICE_BAD_PARAMETER")
        self.model_uri = model_uri
        self.method = method
        self.folder = model_folder(model_uri)
        # Fails at start-up, in one line, when the model is missing; loading happens in load().
        self.model_file = find_model_file(self.folder, MODEL_FILES, "SKLearnServer")
        self.model = None
        logger.info("SKLearnServer: model %s, method %s", self.model_file, self.method)
        _preload("joblib", "sklearn.base")

    def load(self):
        if self.model is not None:
            return
        self.model = _load_estimator(self.model_file)
        if not callable(getattr(self.model, self.method, None)):
            raise SeldonMicroserviceException(
                f"SKLearnServer: the model in {self.model_file} ({type(self.model).__name__}) has no method "
                f"{self.method}; set the method parameter to one it has", status_code=500,
                reason="MICROSERVICE_INTERNAL_ERROR")
        logger.info("SKLearnServer: loaded %s from %s", type(self.model).__name__, self.model_file)

    def predict(self, X, features_names: Optional[List[str]] = None, meta: Optional[Dict] = None):
        self.load()
        return getattr(self.model, self.method)(X)

    def init_metadata(self) -> Dict:
        return read_metadata(self.folder if os.path.isdir(self.folder) else os.path.dirname(self.folder))


def _load_estimator(path: str):
    import joblib  # joblib reads its own files and plain pickles alike
    try:
        return joblib.load(path)
    except (KeyError, ValueError, pickle.UnpicklingError) as joblib_error:
        if path.endswith(".joblib"):
            raise
        logger.debug("joblib could not read %s (%s): trying pickle", path, joblib_error)
        with open(path, "rb") as f:
            return pickle.load(f)


def _preload(*modules: str) -> None:
    """Imports the heavy libraries once in the wrapper's main process: its REST and gRPC workers are forked
    from it and inherit them, instead of each importing them again."""
    import importlib
    for module in modules:
        importlib.import_module(module)
