"""XGBOOST_SERVER on the Seldon protocol: serves an XGBoost Booster saved as model.bst, model.json or model.ubj.

Run by this project's Apache-2.0 wrapper: ``seldon-core-microservice XGBoostServer --service-type MODEL``.
The operator passes ``model_uri`` (``/mnt/models``, where the storage initializer put the model) in
PREDICTIVE_UNIT_PARAMETERS. Each prediction builds a DMatrix from the features and returns
``Booster.predict`` (class probabilities for multi:softprob, one score per row for binary or regression).
"""
import logging
import os
from typing import Dict, Iterable, List, Optional

import yaml

from seldonj_wrapper import SeldonMicroserviceException

logger = logging.getLogger(__name__)

MODEL_FILES = ("model.bst", "model.json", "model.ubj")
METADATA_FILE = "metadata.yaml"


def model_folder(model_uri: Optional[str]) -> str:
    """The local folder a ``model_uri`` names (a path or ``file://`` URI). Remote URIs are the storage
    initializer's job: the server reads what it copied."""
    if not model_uri:
        raise SeldonMicroserviceException("the model_uri parameter is required (the folder that holds the model)",
                                          reason="MICROSERVICE_BAD_PARAMETER")
    path = model_uri[len("file://"):] if model_uri.startswith("file://") else model_uri
    if "://" in path:
        raise SeldonMicroserviceException(
            f"model_uri {model_uri} is not a local folder: this server reads the folder the storage initializer "
            f"fills (/mnt/models in a pod)", reason="MICROSERVICE_BAD_PARAMETER")
    return path


def find_model_file(folder: str, names: Iterable[str], server: str) -> str:
    """The first of ``names`` present in ``folder`` (or ``folder`` itself when it is a file)."""
    if os.path.isfile(folder):
        return folder
    for name in names:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    looked = ", ".join(names)
    where = "does not exist" if not os.path.exists(folder) else "holds none of them"
    raise SeldonMicroserviceException(
        f"{server}: no model in {folder}: looked for {looked} (the folder {where})",
        status_code=500, reason="MICROSERVICE_INTERNAL_ERROR")


def read_metadata(folder: str) -> Dict:
    """``metadata.yaml`` beside the model, if any: the component's metadata (name, versions, inputs, outputs)."""
    path = os.path.join(folder, METADATA_FILE)
    try:
        with open(path, "r", encoding="utf-8") as f:
            loaded = yaml.safe_load(f)
    except FileNotFoundError:
        logger.debug("no %s", path)
        return {}
    except (OSError, yaml.YAMLError) as e:
        logger.error("%s present but not readable YAML: %s", path, e)
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        logger.error("%s must hold a mapping, not %s", path, type(loaded).__name__)
        return {}
    return loaded


class XGBoostServer:
    """Seldon's XGBoostServer parameter: ``model_uri`` (the folder)."""

    def __init__(self, model_uri: str = None):
        self.model_uri = model_uri
        self.folder = model_folder(model_uri)
        # Fails at start-up, in one line, when the model is missing; loading happens in load().
        self.model_file = find_model_file(self.folder, MODEL_FILES, "XGBoostServer")
        self.booster = None
        logger.info("XGBoostServer: model %s", self.model_file)
        import xgboost  # noqa: F401  once in the main process: the forked workers inherit it

    def load(self):
        if self.booster is not None:
            return
        import xgboost as xgb
        self.booster = xgb.Booster(model_file=self.model_file)
        logger.info("XGBoostServer: loaded %s (%s features)", self.model_file, self.booster.num_features())

    def predict(self, X, features_names: Optional[List[str]] = None, meta: Optional[Dict] = None):
        import xgboost as xgb
        self.load()
        return self.booster.predict(xgb.DMatrix(X, feature_names=self._names(X)))

    def _names(self, X) -> Optional[List[str]]:
        """A booster trained on named columns refuses an unnamed DMatrix: its own names, by position (the
        request's names are not trusted to match: upstream steps rename columns freely)."""
        expected = self.booster.feature_names
        columns = X.shape[1] if getattr(X, "ndim", 0) == 2 else None
        return list(expected) if expected and columns == len(expected) else None

    def init_metadata(self) -> Dict:
        return read_metadata(self.folder if os.path.isdir(self.folder) else os.path.dirname(self.folder))
