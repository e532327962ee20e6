package dev.seldonj.local.testing;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;

/** A test stand-in for {@code controller.jar render -f FILE}: prints {@link RenderedObjects} as a YAML stream. */
public final class FakeRender {

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[0].equals("render") || !args[1].equals("-f")) {
      System.err.println("usage: render -f FILE");
      System.exit(64);
    }
    RenderedObjects.of(RenderedObjects.read(Files.readString(Path.of(args[2]))))
        .forEach(object -> System.out.print(Serialization.asYaml(object)));
  }
}
