package dev.seldonj.components;

import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonComponent;
import dev.seldonj.wrapper.SeldonRunner;
import java.util.LinkedHashMap;
import java.util.Map;
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
    return Map.copyOf(m);
  }

  /** The component called {@code name}, built from {@code parameters}. */
  public static SeldonComponent create(String name, ComponentParameters parameters) {
    Function<ComponentParameters, SeldonComponent> factory = ALL.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown component \"" + name + "\"; known: " + String.join(", ", names()));
    }
    return factory.apply(parameters);
  }

  static Iterable<String> names() {
    return new java.util.TreeSet<>(ALL.keySet());
  }

  public static void main(String[] args) {
    if (args.length != 1 || !ALL.containsKey(args[0])) {
      System.err.println("usage: java -jar seldonj-components.jar <component>");
      System.err.println("components: " + String.join(", ", names()));
      System.exit(2);
    }
    SeldonRunner.run(parameters -> create(args[0], parameters));
  }
}
