"""MLFLOW_SERVER on the Seldon protocol: serves an MLflow model folder (``MLmodel`` and its files) through
``mlflow.pyfunc``.

Run by this project's Apache-2.0 wrapper: ``seldon-core-microservice MLFlowServer --service-type MODEL``.
The operator passes ``model_uri`` (``/mnt/models``, where the storage initializer put the model) in
PREDICTIVE_UNIT_PARAMETERS. ``xtype`` is Seldon's: ``ndarray`` (the default) hands the features to the
model as an array, anything else as a pandas DataFrame whose columns are the request's names. A model
whose signature names its input columns always gets a DataFrame (with the request's names when they are
the signature's, else the signature's by position), since pyfunc would refuse an array.
"""
import logging
import os
from typing import Dict, List, Optional

import yaml

from seldonj_wrapper import SeldonNotImplementedError
from seldonj_wrapper.model_folder import find_model_file, model_folder, read_metadata

logger = logging.getLogger(__name__)

MODEL_FILES = ("MLmodel",)


class MLFlowServer:
    """Seldon's MLFlowServer parameters: ``model_uri`` (the folder) and ``xtype`` (ndarray or DataFrame)."""

    def __init__(self, model_uri: str = None, xtype: str = "ndarray"):
        self.model_uri = model_uri
        self.xtype = xtype
        self.folder = model_folder(model_uri)
        # Fails at start-up, in one line, when the model is missing; loading happens in load().
        self.model_dir = os.path.dirname(find_model_file(self.folder, MODEL_FILES, "MLFlowServer")) or "."
        self.model = None
        self.signature_columns: Optional[List[str]] = None
        self.column_names: Optional[List[str]] = None
        logger.info("MLFlowServer: model %s, xtype %s", self.model_dir, self.xtype)
        _preload("mlflow.pyfunc", "pandas", *_flavour_modules(os.path.join(self.model_dir, "MLmodel")))

    def load(self):
        if self.model is not None:
            return
        from mlflow import pyfunc
        self.model = pyfunc.load_model(self.model_dir)
        schema = self.model.metadata.get_input_schema()
        if schema is not None and not schema.is_tensor_spec() and schema.has_input_names():
            self.signature_columns = [str(n) for n in schema.input_names()]
        logger.info("MLFlowServer: loaded %s (flavour %s, input columns %s)", self.model_dir,
                    self.model.metadata.flavors.get("python_function", {}).get("loader_module"),
                    self.signature_columns)

    def predict(self, X, features_names: Optional[List[str]] = None, meta: Optional[Dict] = None):
        import pandas as pd
        self.load()
        result = self.model.predict(self._model_input(X, features_names))
        if isinstance(result, pd.DataFrame):
            self.column_names = [str(c) for c in result.columns]
            return result.to_numpy()
        self.column_names = None
        if isinstance(result, pd.Series):
            return result.to_numpy()
        return result

    def _model_input(self, X, names: Optional[List[str]]):
        import numpy as np
        import pandas as pd
        if not isinstance(X, np.ndarray) or X.ndim != 2:
            return X
        columns = list(names) if names and len(names) == X.shape[1] else None
        if self.xtype != "ndarray":
            return pd.DataFrame(data=X, columns=columns)
        if self.signature_columns is not None:
            # the request's names when they are the signature's (in any order), else the signature's by position
            if (columns is None or not set(self.signature_columns) <= set(columns)) \
                    and len(self.signature_columns) == X.shape[1]:
                columns = self.signature_columns
            return pd.DataFrame(data=X, columns=columns)
        return X

    def class_names(self) -> List[str]:
        """The answer's column names when the model answered a DataFrame, else the wrapper's t:0..n."""
        if self.column_names is not None:
            return self.column_names
        raise SeldonNotImplementedError("the model's answer is not a DataFrame")

    def init_metadata(self) -> Dict:
        return read_metadata(self.folder if os.path.isdir(self.folder) else os.path.dirname(self.folder))


def _flavour_modules(mlmodel_path: str) -> List[str]:
    """The modules pyfunc will import to load this model: its flavour's loader (e.g. mlflow.sklearn) and,
    for sklearn models saved with skops (MLflow 3's default), skops.io, whose import alone takes seconds."""
    try:
        with open(mlmodel_path, "r", encoding="utf-8") as f:
            flavors = (yaml.safe_load(f) or {}).get("flavors") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return []
    modules = []
    loader = (flavors.get("python_function") or {}).get("loader_module")
    if isinstance(loader, str):
        modules.append(loader)
    if (flavors.get("sklearn") or {}).get("serialization_format") == "skops":
        modules.append("skops.io")
    return modules


def _preload(*modules: str) -> None:
    """Imports the heavy libraries once in the wrapper's main process: its REST and gRPC workers are forked
    from it and inherit them, instead of each importing them again (seconds each on a small machine).
    Best effort: a module that does not import here fails, with its real error, in load()."""
    import importlib
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as e:  # noqa: BLE001
            logger.debug("preloading %s: %s", module, e)
