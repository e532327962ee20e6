package dev.seldonj.charts;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the charts and values files, found from the module directory Maven runs tests in. */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path CHARTS = ROOT.resolve("charts");
    static final Path OPERATOR = CHARTS.resolve("seldon-core-operator");
    static final Path SINGLE_MODEL = CHARTS.resolve("seldon-single-model");
    static final Path VALUES = ROOT.resolve("values");
    static final Path GENERATED_CRD = OPERATOR.resolve("files").resolve("crd-seldondeployments.yaml");

    private Repository() {}

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("charts").resolve("seldon-core-operator"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no charts/seldon-core-operator above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
