package dev.seldonj.engine.client.builtin;

import dev.seldonj.api.model.Parameter;
import java.util.List;

/** A built-in node's parameters, read with errors that name the node and the parameter. */
final class NodeParameters {

    private final String node;
    private final List<Parameter> parameters;

    NodeParameters(String node, List<Parameter> parameters) {
        this.node = node;
        this.parameters = parameters == null ? List.of() : parameters;
    }

    private String raw(String name) {
        for (Parameter p : parameters) {
            if (name.equals(p.getName())) {
                return p.getValue();
            }
        }
        return null;
    }

    double number(String name, double fallback) {
        String v = raw(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "node '" + node + "': parameter " + name + " must be a number, got '" + v + "'");
        }
    }

    Long optionalLong(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "node '" + node + "': parameter " + name + " must be an integer, got '" + v + "'");
        }
    }

    int branches(int children) {
        Long n = optionalLong("n_branches");
        if (n != null && n != children) {
            throw new IllegalArgumentException(
                    "node '" + node + "': n_branches is " + n + " but the node has " + children + " children");
        }
        if (children < 1) {
            throw new IllegalArgumentException("node '" + node + "': a router needs at least one child");
        }
        return children;
    }

    void requireRange(String name, double value, double min, double max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "node '" + node + "': parameter " + name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
