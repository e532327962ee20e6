package dev.seldonj.e2e.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's variable interpolation for a Prometheus data source, as far as the dashboards use it:
 * {@code label_values([selector,] label)} queries run through Prometheus' label values API,
 * {@code $name}, {@code ${name}} and {@code [[name]]} references, multi-value variables with "All"
 * selected (the {@code allValue}, else the regex-escaped values as {@code (a|b)}) or with their first
 * value selected, and the built-ins
 * {@code $__rate_interval}, {@code $__interval} and {@code $__range}.
 */
final class GrafanaVariables {

    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

    /** Which value a variable takes: "All", or its first value (what Grafana selects by default without "All"). */
    enum Selection {
        ALL,
        FIRST
    }

    private final Selection selection;
    private final Map<String, String> builtIns;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Map<String, String> substitutions = new LinkedHashMap<>();

    GrafanaVariables(Selection selection, String rateInterval) {
        this.selection = selection;
        builtIns = Map.of("__rate_interval", rateInterval, "__interval", "1s", "__range", "5m", "__range_s", "300");
    }

    /** Resolves the dashboard's variables in order (each may use the ones before), as Grafana does on load. */
    void resolve(Dashboard.Variable variable, PrometheusServer prometheus) throws IOException, InterruptedException {
        Matcher m = LABEL_VALUES.matcher(variable.query());
        if (!m.matches()) {
            throw new IllegalArgumentException("variable " + variable.name()
                    + ": only label_values(...) queries are evaluated, not " + variable.query());
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(1) != null) {
            params.put("match[]", interpolate(m.group(1).trim()));
        }
        List<String> found = new ArrayList<>();
        for (JsonNode value : prometheus.api("label/" + m.group(2) + "/values", params)) {
            found.add(value.asText());
        }
        if (!variable.regex().isEmpty()) {
            found = applyRegex(variable.regex(), found);
        }
        values.put(variable.name(), List.copyOf(found));
        substitutions.put(
                variable.name(),
                selection == Selection.FIRST && !found.isEmpty()
                        ? escape(found.get(0))
                        : variable.allValue() != null ? variable.allValue() : alternation(found));
    }

    /** The values a variable's query found. */
    List<String> values(String name) {
        List<String> found = values.get(name);
        if (found == null) {
            throw new IllegalArgumentException("no variable " + name);
        }
        return found;
    }

    /** The expression with every reference replaced by the selected values. */
    String interpolate(String expr) {
        return interpolate(expr, Map.of());
    }

    /** The same, with some variables set to one value (a repeated panel's copy). */
    String interpolate(String expr, Map<String, String> single) {
        Matcher m = REFERENCE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = single.containsKey(name)
                    ? escape(single.get(name))
                    : builtIns.containsKey(name) ? builtIns.get(name) : substitutions.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        "\"" + expr + "\" refers to $" + name + ", which is no variable of the dashboard");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String alternation(List<String> found) {
        return found.size() == 1
                ? escape(found.get(0))
                : "("
                        + String.join(
                                "|",
                                found.stream().map(GrafanaVariables::escape).toList()) + ")";
    }

    /** Grafana's escaping of a value placed in a Prometheus regex matcher. */
    static String escape(String value) {
        return value.replaceAll("[\\\\^$*+?.()|{}\\[\\]]", "\\\\\\\\$0");
    }

    private static List<String> applyRegex(String regex, List<String> found) {
        String body = regex.startsWith("/") && regex.lastIndexOf('/') > 0
                ? regex.substring(1, regex.lastIndexOf('/'))
                : regex;
        Pattern pattern = Pattern.compile(body);
        List<String> kept = new ArrayList<>();
        for (String value : found) {
            Matcher m = pattern.matcher(value);
            if (m.find()) {
                kept.add(m.groupCount() > 0 && m.group(1) != null ? m.group(1) : value);
            }
        }
        return kept;
    }
}
