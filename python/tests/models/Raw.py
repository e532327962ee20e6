class Raw:
    def predict_raw(self, msg):
        if isinstance(msg, dict):
            return {"jsonData": {"raw": True, "got": sorted(msg)}, "meta": {"metrics": [{"key": "raw_hits", "value": 1, "type": "COUNTER"}]}}
        return {"strData": "raw over grpc"}
