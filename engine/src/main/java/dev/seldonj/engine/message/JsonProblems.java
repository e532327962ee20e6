package dev.seldonj.engine.message;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A JSON reader's complaint in words for a client: the problem and where (line, column), without the reader's
 * source excerpt, Java type names or exception classes.
 */
public final class JsonProblems {

    private JsonProblems() {}

    public static String describe(Exception e) {
        if (e instanceof JsonProcessingException j) {
            String problem = j.getOriginalMessage();
            if (problem == null || problem.isBlank()) {
                problem = "invalid JSON";
            }
            int newline = problem.indexOf('\n');
            if (newline >= 0) {
                problem = problem.substring(0, newline);
            }
            if (problem.indexOf('`') >= 0 || problem.contains("java.") || problem.contains("com.fasterxml")) {
                problem = "the JSON does not have the expected shape"; // a binding message: it names Java types
            }
            JsonLocation at = j.getLocation();
            return at == null || at.getLineNr() < 1
                    ? problem
                    : problem + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        String m = e.getMessage();
        return m == null || m.contains("Exception") || m.contains("java.") ? "invalid JSON" : m;
    }
}
