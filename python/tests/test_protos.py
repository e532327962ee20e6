"""The generated protobuf modules match the project's .proto (api/src/main/proto), field by field."""
import re

from conftest import REPO
from seldonj_wrapper.proto import prediction_pb2


def declared_fields(proto_text):
    fields = {}
    for message, body in re.findall(r"message (\w+) \{(.*?)\n\}", proto_text, flags=re.S):
        # fields have a type before their name; the values of nested enums do not
        for name, number in re.findall(r"^\s*(?:repeated\s+)?(?:map<[^>]*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)", body, flags=re.M):
            fields[(message, name)] = int(number)
    return fields


def test_every_message_field_has_its_number():
    text = (REPO / "api/src/main/proto/prediction.proto").read_text()
    declared = declared_fields(text)
    generated = {}
    for message in prediction_pb2.DESCRIPTOR.message_types_by_name.values():
        for field in message.fields:
            generated[(message.name, field.name)] = field.number
    assert declared and {k: v for k, v in declared.items() if k[0] in {m for m, _ in generated}} == generated


def test_every_service_and_method():
    text = (REPO / "api/src/main/proto/prediction.proto").read_text()
    declared = {(s, m) for s, body in re.findall(r"service (\w+) \{(.*?)\n\}", text, flags=re.S)
                for m in re.findall(r"rpc (\w+)\(", body)}
    generated = {(s.name, m.name) for s in prediction_pb2.DESCRIPTOR.services_by_name.values() for m in s.methods}
    assert declared == generated
