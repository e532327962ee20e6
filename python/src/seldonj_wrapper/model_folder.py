"""Helpers for model servers built on the wrapper (the prepackaged servers in servers/ use them): the
local folder a ``model_uri`` names, the model file in it, and the ``metadata.yaml`` beside it."""
import logging
import os
from typing import Dict, Iterable, Optional

import yaml

from .errors import SeldonMicroserviceException

logger = logging.getLogger(__name__)

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
