package dev.seldonj.e2e.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A Grafana dashboard's JSON as the tests need it: its query variables and every panel query. */
record Dashboard(String name, List<Variable> variables, List<PanelQuery> queries) {

    /**
     * A variable of type {@code query}: Grafana runs {@code query} against the data source; with "All"
     * selected it substitutes {@code allValue} when set, else every value as a regex alternation.
     */
    record Variable(String name, String query, String allValue, String regex) {}

    /** One target of one panel; {@code repeat} names the variable the panel repeats over, or is null. */
    record PanelQuery(String panel, String refId, String expr, String repeat) {

        @Override
        public String toString() {
            return "panel \"" + panel + "\" target " + refId;
        }
    }

    static Dashboard parse(String name, String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard " + name + " is not JSON: " + e.getMessage(), e);
        }
        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : root.path("templating").path("list")) {
            String type = v.path("type").asText();
            if (type.equals("query")) {
                JsonNode query = v.path("query");
                variables.add(new Variable(
                        v.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText(),
                        v.hasNonNull("allValue") ? v.path("allValue").asText() : null,
                        v.path("regex").asText("")));
            } else if (!type.equals("datasource")) {
                throw new IllegalArgumentException(name + ": variable " + v.path("name") + " has type " + type
                        + ", which the dashboard tests do not evaluate");
            }
        }
        List<PanelQuery> queries = new ArrayList<>();
        collect(root.path("panels"), queries);
        return new Dashboard(name, List.copyOf(variables), List.copyOf(queries));
    }

    private static void collect(JsonNode panels, List<PanelQuery> into) {
        for (JsonNode panel : panels) {
            collect(panel.path("panels"), into); // a collapsed row holds its panels
            for (JsonNode target : panel.path("targets")) {
                if (target.path("hide").asBoolean(false)) {
                    continue;
                }
                into.add(new PanelQuery(
                        panel.path("title").asText(),
                        target.path("refId").asText(),
                        target.path("expr").asText(),
                        panel.hasNonNull("repeat") ? panel.path("repeat").asText() : null));
            }
        }
    }
}
