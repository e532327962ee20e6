package dev.seldonj.api.validation;

/**
 * One thing wrong with a manifest: where ({@code spec.predictors[0].graph.children[1]}), what, and
 * whether it blocks the manifest.
 */
public record Problem(String path, String message, Severity severity) {

    /** Whether a problem rejects the manifest. */
    public enum Severity {
        /** The manifest is rejected. */
        ERROR,
        /** The manifest is accepted, but a Kubernetes API server or a later Seldon may not accept it. */
        WARNING
    }

    public static Problem error(String path, String message) {
        return new Problem(path, message, Severity.ERROR);
    }

    public static Problem warning(String path, String message) {
        return new Problem(path, message, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (severity == Severity.WARNING ? "warning: " : "") + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
