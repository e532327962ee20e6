"""Model metadata (``GET /metadata``, gRPC ``Metadata``): the class's ``init_metadata()`` overlaid with the
``MODEL_METADATA`` environment variable (YAML or JSON), completed with defaults from the image name,
and checked against Seldon's schema."""
import logging
from typing import Dict, Optional

import yaml
from jsonschema import Draft7Validator

from .settings import Unit, split_image

logger = logging.getLogger(__name__)

_ARRAY = {
    "type": "object",
    "properties": {
        "messagetype": {"type": "string", "enum": ["tensor", "ndarray", "tftensor"]},
        "schema": {
            "type": "object",
            "properties": {"names": {"type": "array", "items": {"type": "string"}},
                           "shape": {"type": "array", "items": {"type": "integer"}}},
            "additionalProperties": False,
        },
    },
    "required": ["messagetype"],
    "additionalProperties": False,
}


def _single(kind: str, schema: bool) -> Dict:
    properties: Dict = {"messagetype": {"type": "string", "enum": [kind]}}
    if schema:
        properties["schema"] = {"type": "object"}
    return {"type": "object", "properties": properties, "required": ["messagetype"], "additionalProperties": False}


_CUSTOM = {
    "type": "object",
    "properties": {
        "messagetype": {"type": "string",
                        "not": {"enum": ["tensor", "ndarray", "tftensor", "jsonData", "strData", "binData"]}},
        "schema": {"type": "object"},
    },
    "required": ["messagetype"],
    "additionalProperties": False,
}
_V2_TENSOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "datatype": {"type": "string", "enum": ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
                                                 "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"]},
        "shape": {"type": "array", "items": {"type": "integer"}},
    },
    "additionalProperties": False,
}
_TENSORS = {"type": "array", "items": {"anyOf": [_ARRAY, _single("jsonData", True), _single("strData", False),
                                                  _single("binData", False), _CUSTOM, _V2_TENSOR]}}
SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "versions": {"type": "array", "items": {"type": "string"}},
        "platform": {"type": "string"},
        "inputs": _TENSORS,
        "outputs": _TENSORS,
        "custom": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": False,
}
_VALIDATOR = Draft7Validator(SCHEMA)


def model_metadata(from_class: Dict, from_env: str, unit: Unit) -> Optional[Dict]:
    """The validated metadata, or None (logged with the path of each problem) when it is invalid."""
    try:
        env_meta = yaml.safe_load(from_env) if from_env else {}
    except yaml.YAMLError as e:
        logger.error("MODEL_METADATA is not YAML or JSON: %s", e)
        env_meta = {}
    if env_meta is None:
        env_meta = {}
    if not isinstance(env_meta, dict):
        logger.error("MODEL_METADATA must be a mapping, not %s", type(env_meta).__name__)
        env_meta = {}
    name, version = split_image(unit.image) if unit.image_set else ("", "")
    meta = {"name": name, "versions": [version], "platform": "", "inputs": [], "outputs": [], "custom": {},
            **from_class, **env_meta}
    problems = sorted(_VALIDATOR.iter_errors(meta), key=lambda e: list(e.absolute_path))
    if problems:
        for problem in problems:
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.absolute_path) or "(root)"
            logger.error("model metadata %s: %s", path.lstrip("."), problem.message)
        return None
    return meta
