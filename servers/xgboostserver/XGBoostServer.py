"""XGBOOST_SERVER on the Seldon protocol: serves an XGBoost Booster saved as model.bst, model.json or model.ubj.

Run by this project's Apache-2.0 wrapper: ``seldon-core-microservice XGBoostServer --service-type MODEL``.
The operator passes ``model_uri`` (``/mnt/models``, where the storage initializer put the model) in
PREDICTIVE_UNIT_PARAMETERS. Each prediction builds a DMatrix from the features and returns
``Booster.predict`` (class probabilities for multi:softprob, one score per row for binary or regression).
"""
import logging
import os
from typing import Dict, List, Optional

from seldonj_wrapper.model_folder import find_model_file, model_folder, read_metadata

logger = logging.getLogger(__name__)

MODEL_FILES = ("model.bst", "model.json", "model.ubj")


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
