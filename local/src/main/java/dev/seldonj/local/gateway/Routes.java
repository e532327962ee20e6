package dev.seldonj.local.gateway;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.RouteMapping;
import dev.seldonj.local.ports.LocalPorts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Emissary's routing over the rendered Mappings: the longest matching prefix wins; among the Mappings
 * of one route, those with a {@code weight} get that share of the requests and the first one without
 * a weight gets the remainder (as Seldon's first predictor does); {@code shadow} Mappings receive a
 * copy whose answer is discarded.
 *
 * <p>As in Emissary, Mappings form one traffic split only when they match the same requests: same
 * prefix and same {@code headers}. Groups are tried longest prefix first, then most headers first,
 * so Seldon's gRPC Mappings ({@code seldon} + {@code namespace}) win over the single-namespace ones
 * ({@code seldon} alone) for a caller that sends both, and the two splits never mix.
 *
 * <p>Immutable once built (bar the round-robin turns of its {@link Endpoints}): a source whose objects
 * change (the cluster gateway) builds a new one and swaps it in whole, so a request sees one
 * consistent generation and never takes a lock.
 */
public final class Routes {

    /** A Mapping and the upstreams its Service resolves to. */
    public record Backend(RouteMapping mapping, Endpoints endpoints) {}

    /** Where one request goes: the backend that answers, the shadows that get copies, the upstream path. */
    public record Choice(Backend primary, List<Backend> shadows, String upstreamPath) {}

    private record Group(
            String prefix,
            Map<String, String> headers,
            boolean regex,
            Pattern pattern,
            List<Backend> serving,
            List<Backend> shadows) {

        Stream<Backend> backends() {
            return Stream.concat(serving.stream(), shadows.stream());
        }
    }

    private record GroupKey(String prefix, Map<String, String> headers) {}

    private final List<Group> rest;
    private final List<Group> grpc;
    private final Random random;
    private final Set<Upstream> upstreams;

    private Routes(List<Group> rest, List<Group> grpc, Random random) {
        this.rest = rest;
        this.grpc = grpc;
        this.random = random;
        this.upstreams = Stream.concat(rest.stream(), grpc.stream())
                .flatMap(Group::backends)
                .flatMap(b -> b.endpoints().all().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Resolves every Mapping's service to the local port of the pod behind it (the local runner, where
     * a Mapping that resolves to nothing is a rendering error that stops the run); {@code random}
     * decides traffic splits.
     */
    public static Routes of(List<RouteMapping> mappings, LocalPorts ports, Random random) {
        return of(mappings, m -> Endpoints.of(Upstream.loopback(localPort(m, ports))), random);
    }

    /**
     * Builds the routes with any resolution of a Mapping to its upstreams (the cluster gateway resolves
     * through Services and EndpointSlices); {@code random} decides traffic splits.
     */
    public static Routes of(List<RouteMapping> mappings, Function<RouteMapping, Endpoints> resolver, Random random) {
        Map<GroupKey, List<Backend>> restGroups = new LinkedHashMap<>();
        Map<GroupKey, List<Backend>> grpcGroups = new LinkedHashMap<>();
        Map<String, Boolean> regex = new LinkedHashMap<>();
        for (RouteMapping m : mappings) {
            Backend backend = new Backend(m, resolver.apply(m));
            (m.grpc() ? grpcGroups : restGroups)
                    .computeIfAbsent(new GroupKey(m.prefix(), m.headers()), k -> new ArrayList<>())
                    .add(backend);
            regex.merge(m.prefix(), m.prefixRegex(), Boolean::logicalOr);
        }
        return new Routes(groups(restGroups, regex), groups(grpcGroups, regex), random);
    }

    private static int localPort(RouteMapping m, LocalPorts ports) {
        String[] hostPort = splitService(m);
        try {
            return ports.resolveService(m.namespace(), hostPort[0], Integer.parseInt(hostPort[1]))
                    .port();
        } catch (RunnerException e) {
            throw new RunnerException("Mapping " + m.qualifiedName() + ": " + e.getMessage(), e);
        }
    }

    private static List<Group> groups(Map<GroupKey, List<Backend>> byMatch, Map<String, Boolean> regex) {
        return byMatch.entrySet().stream()
                .map(e -> {
                    String prefix = e.getKey().prefix();
                    boolean isRegex = regex.get(prefix);
                    return new Group(
                            prefix,
                            e.getKey().headers(),
                            isRegex,
                            isRegex ? Pattern.compile(prefix) : null,
                            e.getValue().stream()
                                    .filter(b -> !b.mapping().shadow())
                                    .toList(),
                            e.getValue().stream()
                                    .filter(b -> b.mapping().shadow())
                                    .toList());
                })
                .sorted(Comparator.comparingInt((Group g) -> g.prefix().length())
                        .thenComparingInt(g -> g.headers().size())
                        .reversed())
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
            throw new RunnerException(
                    "Mapping " + m.qualifiedName() + ": service " + m.service() + " does not end in a port number");
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
        return rest.stream().map(Group::prefix).distinct().toList();
    }

    /** Every upstream any route may dial (the gRPC side closes channels to upstreams that left). */
    public Set<Upstream> upstreams() {
        return upstreams;
    }

    /** One line per Mapping, in the order routes are tried: what it matches and where it goes, for logs. */
    public List<String> describe() {
        return Stream.concat(rest.stream(), grpc.stream())
                .flatMap(Group::backends)
                .map(b -> {
                    RouteMapping m = b.mapping();
                    return (m.grpc() ? "gRPC " : "REST ") + m.prefix()
                            + (m.headers().isEmpty() ? "" : " " + m.headers())
                            + (m.weight() == null ? "" : " weight " + m.weight()) + (m.shadow() ? " shadow" : "")
                            + " -> " + m.qualifiedName() + " (" + m.service() + ") -> " + b.endpoints();
                })
                .toList();
    }

    /** The header values gRPC callers must send ({@code seldon}, {@code namespace}) per gRPC route. */
    public List<Map<String, String>> grpcHeaders() {
        return grpc.stream().map(Group::headers).distinct().toList();
    }

    private Optional<Choice> choose(List<Group> groups, String path, Function<String, String> header, boolean rewrite) {
        for (Group group : groups) {
            boolean matches = group.regex() ? group.pattern().matcher(path).matches() : path.startsWith(group.prefix());
            if (!matches || group.serving().isEmpty() || !headersMatch(group.headers(), header)) {
                continue;
            }
            Backend primary = pick(group.serving());
            List<Backend> shadows = group.shadows();
            // Emissary: an empty rewrite keeps the path as it came.
            String upstream =
                    rewrite && !group.regex() && !primary.mapping().rewrite().isEmpty()
                            ? join(
                                    primary.mapping().rewrite(),
                                    path.substring(group.prefix().length()))
                            : path;
            return Optional.of(new Choice(primary, shadows, upstream));
        }
        return Optional.empty();
    }

    private static boolean headersMatch(Map<String, String> required, Function<String, String> header) {
        for (Map.Entry<String, String> h : required.entrySet()) {
            if (!h.getValue().equals(header.apply(h.getKey()))) {
                return false;
            }
        }
        return true;
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
        return serving.stream()
                .filter(b -> b.mapping().weight() == null)
                .findFirst()
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
