"""A component using the *_raw variants of Seldon's user-class contract: it gets the request as it
arrived, a dict (or, for /aggregate, a list or dict) over REST and a protobuf message over gRPC, and
answers in the same kind: a dict over REST, a message of the request's own class over gRPC (so it
never imports seldon_core or seldonj_wrapper, and runs unchanged under both wrappers).

Each answer carries a tag and custom metrics in meta.metrics, which the wrapper records and, unless
INCLUDE_METRICS_IN_CLIENT_RESPONSE is true, removes. A REST request {"jsonData": {"status": N}} makes
predict_raw answer a failure status whose code the wrapper uses as the HTTP status."""

RAW_METRICS = [
    {"type": "COUNTER", "key": "raw_counter", "value": 1, "tags": {"path": "raw"}},
    {"type": "GAUGE", "key": "raw_gauge", "value": 7},
    {"type": "TIMER", "key": "raw_timer", "value": 3.5},
]
TYPES = {"COUNTER": 0, "GAUGE": 1, "TIMER": 2}


def _is_dict(msg):
    return isinstance(msg, dict)


def _proto_answer(template, kind, extra_tag):
    """A message of the template's class, with the template's data and a tag and the raw metrics."""
    out = template.__class__()
    out.CopyFrom(template)
    out.meta.tags["raw"].string_value = kind
    out.meta.tags["extra"].string_value = extra_tag
    for m in RAW_METRICS:
        metric = out.meta.metrics.add(key=m["key"], type=TYPES[m["type"]], value=m["value"])
        for k, v in m.get("tags", {}).items():
            metric.tags[k] = v
    return out


def _dict_answer(request, kind):
    answer = {k: v for k, v in request.items() if k in ("data", "strData", "binData", "jsonData")}
    meta = dict(request.get("meta") or {})
    tags = dict(meta.get("tags") or {})
    tags["raw"] = kind
    meta["tags"] = tags
    meta["metrics"] = [dict(m, tags=dict(m["tags"])) if "tags" in m else dict(m) for m in RAW_METRICS]
    answer["meta"] = meta
    return answer


class RawModel(object):
    def predict_raw(self, msg):
        if _is_dict(msg):
            status = (msg.get("jsonData") or {}).get("status") if isinstance(msg.get("jsonData"), dict) else None
            if status is not None:
                return {"status": {"code": status, "info": "raw failure", "reason": "RAW_REASON", "status": 1}}
            return _dict_answer(msg, "predict")
        return _proto_answer(msg, "predict", msg.WhichOneof("data_oneof") or "none")

    def transform_input_raw(self, msg):
        if _is_dict(msg):
            return _dict_answer(msg, "transform-input")
        return _proto_answer(msg, "transform-input", "in")

    def transform_output_raw(self, msg):
        if _is_dict(msg):
            return _dict_answer(msg, "transform-output")
        return _proto_answer(msg, "transform-output", "out")

    def route_raw(self, msg):
        if _is_dict(msg):
            return {"data": {"ndarray": [[1]]}, "meta": {"tags": {"raw": "route"}}}
        out = msg.__class__()
        out.data.ndarray.append([1])
        out.meta.tags["raw"].string_value = "route"
        return out

    def aggregate_raw(self, msgs):
        if isinstance(msgs, list):
            return _dict_answer({"jsonData": {"count": len(msgs)}}, "aggregate")
        if isinstance(msgs, dict):
            return _dict_answer({"jsonData": {"count": len(msgs.get("seldonMessages", []))}}, "aggregate")
        first = msgs.seldonMessages[0]
        out = first.__class__()
        out.jsonData.struct_value.update({"count": len(msgs.seldonMessages)})
        return _proto_answer(out, "aggregate", "list")

    def send_feedback_raw(self, feedback):
        # always a protobuf Feedback, over REST too
        out = feedback.request.__class__()
        out.strData = "feedback reward %.2f" % feedback.reward
        return _proto_answer(out, "send-feedback", "feedback")

    def health_status_raw(self):
        return {"data": {"names": [], "ndarray": ["raw healthy"]}, "meta": {}}
