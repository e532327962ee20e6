package dev.seldonj.node.container;

import dev.seldonj.local.images.ImageCommand;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The program line of a container: the image map's command (the local stand-in for the image's
 * ENTRYPOINT) followed by the container's args, {@code $(VAR)}-expanded. Kubernetes lets
 * {@code command} replace the ENTRYPOINT; here only the image's own ENTRYPOINT (the map's
 * {@code entrypoint}) can be named, because nothing else from inside the image exists on this machine.
 */
public final class ContainerCommand {

    private ContainerCommand() {}

    public static List<String> of(String image, Container container, ImageCommand mapped, Map<String, String> env) {
        List<String> command = container.getCommand().stream()
                .map(s -> Expansion.expand(s, env))
                .toList();
        if (!command.isEmpty() && !command.equals(mapped.entrypoint())) {
            String why = mapped.entrypoint().isEmpty()
                    ? "the images map does not give the image's ENTRYPOINT; if " + command + " is it, add `entrypoint: "
                            + yamlList(command) + "` to the image's entry (--images FILE)"
                    : "only the image's ENTRYPOINT " + mapped.entrypoint() + " is mapped to a local command";
            throw new ContainerConfigException(
                    ContainerConfigException.RUN_ERROR,
                    "image " + image + ": container command " + command + " cannot run here: " + why);
        }
        List<String> line = new ArrayList<>(mapped.command());
        container.getArgs().forEach(a -> line.add(Expansion.expand(a, env)));
        return List.copyOf(line);
    }

    private static String yamlList(List<String> items) {
        return items.stream()
                .map(s -> "\"" + s.replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
