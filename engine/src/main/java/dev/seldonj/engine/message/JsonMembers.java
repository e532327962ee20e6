package dev.seldonj.engine.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The top-level members of a JSON object, found byte by byte: names are decoded, values are only
 * skipped (their syntax checked), so a large tensor costs a scan and no allocation.
 */
final class JsonMembers {

    /** One member: its name, where its key starts and ends, and where its value starts and ends. */
    record Member(String name, int keyStart, int keyEnd, int valueStart, int valueEnd) {
        byte first(byte[] json) {
            return json[valueStart];
        }
    }

    private JsonMembers() {}

    /** The members of the object {@code json} holds; throws naming the byte of a syntax error. */
    static List<Member> of(byte[] json) throws SeldonJsonScanner.InvalidJson {
        int i = JsonBytes.ws(json, 0, json.length);
        if (i >= json.length || json[i] != '{') {
            if (i < json.length
                    && (json[i] == '['
                            || json[i] == '"'
                            || json[i] == '-'
                            || json[i] >= '0' && json[i] <= '9'
                            || json[i] == 't'
                            || json[i] == 'f'
                            || json[i] == 'n')) {
                throw new SeldonJsonScanner.InvalidJson(
                        "expected a JSON object, got " + JsonBytes.kind(json, i, json.length));
            }
            throw JsonBytes.invalid(json, i, json.length, "a JSON object");
        }
        List<Member> out = new ArrayList<>(4);
        i = JsonBytes.ws(json, i + 1, json.length);
        if (i < json.length && json[i] == '}') {
            i++;
        } else {
            while (true) {
                if (i >= json.length || json[i] != '"') {
                    throw JsonBytes.invalid(json, i, json.length, "a field name");
                }
                int keyStart = i;
                int keyEnd = JsonBytes.skipString(json, i, json.length);
                String name = SeldonJsonScanner.key(json, keyStart, keyEnd);
                i = JsonBytes.ws(json, keyEnd, json.length);
                if (i >= json.length || json[i] != ':') {
                    throw JsonBytes.invalid(json, i, json.length, "':'");
                }
                int valueStart = JsonBytes.ws(json, i + 1, json.length);
                int valueEnd = JsonBytes.skipValue(json, valueStart, json.length, 1);
                out.add(new Member(name, keyStart, keyEnd, valueStart, valueEnd));
                i = JsonBytes.ws(json, valueEnd, json.length);
                if (i < json.length && json[i] == ',') {
                    i = JsonBytes.ws(json, i + 1, json.length);
                } else if (i < json.length && json[i] == '}') {
                    i++;
                    break;
                } else {
                    throw JsonBytes.invalid(json, i, json.length, "',' or '}'");
                }
            }
        }
        if (JsonBytes.ws(json, i, json.length) != json.length) {
            throw new SeldonJsonScanner.InvalidJson(
                    "invalid JSON at byte " + i + ": unexpected content after the JSON object");
        }
        return out;
    }

    static Member find(List<Member> members, String name) {
        for (Member m : members) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
