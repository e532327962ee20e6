package dev.seldonj.local.gateway;

import dev.seldonj.local.RunnerException;
import dev.seldonj.local.plan.RouteMapping;
import dev.seldonj.local.ports.LocalPorts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Emissary's routing over the rendered Mappings: the longest matching prefix wins; among the Mappings
 * of one prefix, those with a {@code weight} get that share of the requests and the first one without
 * a weight gets the remainder (as Seldon's first predictor does); {@code shadow} Mappings receive a
 * copy whose answer is discarded.
 */
public final class Routes {

  /** A Mapping resolved to the local port of the pod behind its Service. */
  public record Backend(RouteMapping mapping, int port) {}

  /** Where one request goes: the backend that answers, the shadows that get copies, the upstream path. */
  public record Choice(Backend primary, List<Backend> shadows, String upstreamPath) {}

  private record Group(String prefix, boolean regex, Pattern pattern, List<Backend> backends) {}

  private final List<Group> rest;
  private final List<Group> grpc;
  private final Random random;

  private Routes(List<Group> rest, List<Group> grpc, Random random) {
    this.rest = rest;
    this.grpc = grpc;
    this.random = random;
  }

  /** Resolves every Mapping's service to a local port; {@code random} decides traffic splits. */
  public static Routes of(List<RouteMapping> mappings, LocalPorts ports, Random random) {
    Map<String, List<Backend>> restGroups = new LinkedHashMap<>();
    Map<String, List<Backend>> grpcGroups = new LinkedHashMap<>();
    Map<String, Boolean> regex = new LinkedHashMap<>();
    for (RouteMapping m : mappings) {
      String[] hostPort = splitService(m);
      int port;
      try {
        port = ports.resolveService(m.namespace(), hostPort[0], Integer.parseInt(hostPort[1])).port();
      } catch (RunnerException e) {
        throw new RunnerException("Mapping " + m.qualifiedName() + ": " + e.getMessage(), e);
      }
      (m.grpc() ? grpcGroups : restGroups).computeIfAbsent(m.prefix(), p -> new ArrayList<>()).add(new Backend(m, port));
      regex.merge(m.prefix(), m.prefixRegex(), Boolean::logicalOr);
    }
    return new Routes(groups(restGroups, regex), groups(grpcGroups, regex), random);
  }

  private static List<Group> groups(Map<String, List<Backend>> byPrefix, Map<String, Boolean> regex) {
    return byPrefix.entrySet().stream()
        .map(e -> new Group(e.getKey(), regex.get(e.getKey()),
            regex.get(e.getKey()) ? Pattern.compile(e.getKey()) : null, List.copyOf(e.getValue())))
        .sorted(Comparator.comparingInt((Group g) -> g.prefix().length()).reversed())
        .toList();
  }

  private static String[] splitService(RouteMapping m) {
    String service = m.service().replaceFirst("^https?://", "");
    int colon = service.lastIndexOf(':');
    if (colon < 0) {
      return new String[] {service, "80"};
    }
    String port = service.substring(colon + 1);
    if (!port.chars().allMatch(Character::isDigit) || port.isEmpty()) {
      throw new RunnerException("Mapping " + m.qualifiedName() + ": service " + m.service()
          + " does not end in a port number");
    }
    return new String[] {service.substring(0, colon), port};
  }

  public Optional<Choice> rest(String path, Function<String, String> header) {
    return choose(rest, path, header, true);
  }

  public Optional<Choice> grpc(String path, Function<String, String> header) {
    return choose(grpc, path, header, false);
  }

  /** The REST prefixes served, for the runner's banner and for 404 answers. */
  public List<String> restPrefixes() {
    return rest.stream().map(Group::prefix).toList();
  }

  /** The header values gRPC callers must send ({@code seldon}, {@code namespace}) per gRPC route. */
  public List<Map<String, String>> grpcHeaders() {
    return grpc.stream().map(g -> g.backends().get(0).mapping().headers()).distinct().toList();
  }

  private Optional<Choice> choose(List<Group> groups, String path, Function<String, String> header, boolean rewrite) {
    for (Group group : groups) {
      boolean matches = group.regex() ? group.pattern().matcher(path).matches() : path.startsWith(group.prefix());
      if (!matches) {
        continue;
      }
      List<Backend> candidates = group.backends().stream()
          .filter(b -> b.mapping().headers().entrySet().stream()
              .allMatch(h -> h.getValue().equals(header.apply(h.getKey()))))
          .toList();
      List<Backend> serving = candidates.stream().filter(b -> !b.mapping().shadow()).toList();
      if (serving.isEmpty()) {
        continue;
      }
      Backend primary = pick(serving);
      List<Backend> shadows = candidates.stream().filter(b -> b.mapping().shadow()).toList();
      // Emissary: an empty rewrite keeps the path as it came.
      String upstream = rewrite && !group.regex() && !primary.mapping().rewrite().isEmpty()
          ? join(primary.mapping().rewrite(), path.substring(group.prefix().length())) : path;
      return Optional.of(new Choice(primary, shadows, upstream));
    }
    return Optional.empty();
  }

  private Backend pick(List<Backend> serving) {
    int roll = random.nextInt(100);
    int cumulative = 0;
    for (Backend b : serving) {
      if (b.mapping().weight() != null) {
        cumulative += b.mapping().weight();
        if (roll < cumulative) {
          return b;
        }
      }
    }
    return serving.stream().filter(b -> b.mapping().weight() == null).findFirst()
        .orElse(serving.get(serving.size() - 1));
  }

  private static String join(String rewrite, String rest) {
    String base = rewrite;
    if (base.endsWith("/") && rest.startsWith("/")) {
      return base + rest.substring(1);
    }
    return base.endsWith("/") || rest.startsWith("/") || rest.isEmpty() ? base + rest : base + "/" + rest;
  }
}
