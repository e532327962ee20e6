package dev.seldonj.api.graph;

import dev.seldonj.api.model.PredictiveUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Walking and searching an inference graph. */
public final class Graph {

    private Graph() {}

    /** Receives each node with its path, e.g. {@code spec.predictors[0].graph.children[1]}. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String path, PredictiveUnit unit);
    }

    /** Visits every node depth-first, parents before children, in document order. */
    public static void walk(PredictiveUnit root, String rootPath, Visitor visitor) {
        if (root == null) {
            return;
        }
        visitor.visit(rootPath, root);
        List<PredictiveUnit> children = root.getChildren();
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                walk(children.get(i), rootPath + ".children[" + i + "]", visitor);
            }
        }
    }

    /** Every node, depth-first in document order. */
    public static List<PredictiveUnit> nodes(PredictiveUnit root) {
        List<PredictiveUnit> nodes = new ArrayList<>();
        walk(root, "", (path, unit) -> nodes.add(unit));
        return nodes;
    }

    /** The first node with this name, depth-first. */
    public static Optional<PredictiveUnit> find(PredictiveUnit root, String name) {
        return nodes(root).stream().filter(u -> name.equals(u.getName())).findFirst();
    }

    /** Children of a node, never null. */
    public static List<PredictiveUnit> children(PredictiveUnit unit) {
        return unit.getChildren() == null ? List.of() : unit.getChildren();
    }
}
