package dev.seldonj.components;

import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonComponent;
import dev.seldonj.wrapper.SeldonRunner;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The example components by name, and the jar's {@code main}:
 * {@code java -jar seldonj-components.jar <name>}, configured by the usual {@code PREDICTIVE_UNIT_*}
 * environment. Each name is also an image, {@code seldonj/<name>:0.1.0}.
 */
public final class Components {

    /** Name -> factory from the component's parameters. */
    public static final Map<String, Function<ComponentParameters, SeldonComponent>> ALL = all();

    private Components() {}

    private static Map<String, Function<ComponentParameters, SeldonComponent>> all() {
        Map<String, Function<ComponentParameters, SeldonComponent>> m = new LinkedHashMap<>();
        m.put("mock-classifier", MockClassifier::new);
        m.put("identity-model", p -> new IdentityModel());
        m.put("mean-transformer", p -> new MeanTransformer());
        m.put("fixed-router", FixedRouter::new);
        m.put("average-combiner", p -> new AverageCombiner());
        m.put("scale-output-transformer", ScaleOutputTransformer::new);
        m.put("model-with-metrics", p -> new ModelWithMetrics());
        return Map.copyOf(m);
    }

    /** The component called {@code name}, built from {@code parameters}. */
    public static SeldonComponent create(String name, ComponentParameters parameters) {
        Function<ComponentParameters, SeldonComponent> factory = ALL.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(
                    "unknown component \"" + name + "\"; known: " + String.join(", ", names()));
        }
        return factory.apply(parameters);
    }

    static Iterable<String> names() {
        return new TreeSet<>(ALL.keySet());
    }

    public static void main(String[] args) {
        boolean check = args.length == 2 && args[1].equals("--check");
        if ((args.length != 1 && !check) || !ALL.containsKey(args[0])) {
            System.err.println("usage: java -jar seldonj-components.jar <component> [--check]");
            System.err.println("components: " + String.join(", ", names()));
            System.err.println(
                    "--check starts the component on free ports and stops it (image smoke test, CDS warm-up)");
            System.exit(2);
        }
        if (check) {
            SeldonServer.start(create(args[0], ComponentParameters.empty()), WrapperConfig.ephemeral())
                    .close();
            return;
        }
        SeldonRunner.run(parameters -> create(args[0], parameters));
    }
}
