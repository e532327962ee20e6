package dev.seldonj.node.container;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion, as in env values, command, args and subPathExpr: a defined
 * variable is replaced, an undefined one is left as written, {@code $$} is a literal {@code $}.
 * A port of k8s.io/kubernetes third_party/forked/golang/expansion.
 */
public final class Expansion {

    private Expansion() {}

    public static String expand(String input, Map<String, String> vars) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder();
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
                out.append(input, checkpoint, cursor);
                String rest = input.substring(cursor + 1);
                int advance;
                char first = rest.charAt(0);
                if (first == '$') {
                    out.append('$');
                    advance = 1;
                } else if (first == '(') {
                    int close = rest.indexOf(')', 1);
                    if (close < 0) {
                        out.append("$(");
                        advance = 1;
                    } else {
                        String name = rest.substring(1, close);
                        String value = vars.get(name);
                        out.append(value != null ? value : "$(" + name + ")");
                        advance = close + 1;
                    }
                } else {
                    out.append('$').append(first);
                    advance = 1;
                }
                cursor += advance;
                checkpoint = cursor + 1;
            }
        }
        return out.append(input.substring(Math.min(checkpoint, input.length()))).toString();
    }
}
