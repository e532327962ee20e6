package dev.seldonj.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be used, with every problem found in it. */
public class InvalidManifestException extends RuntimeException {

    private final transient List<Problem> problems;

    public InvalidManifestException(String source, List<Problem> problems) {
        super(describe(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(String source, List<Problem> problems) {
        String prefix =
                source == null || source.isEmpty() ? "invalid SeldonDeployment" : source + ": invalid SeldonDeployment";
        return prefix + "\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
