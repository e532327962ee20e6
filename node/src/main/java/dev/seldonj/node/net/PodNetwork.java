package dev.seldonj.node.net;

import dev.seldonj.node.errors.NodeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod's network: its own network namespace whose {@code eth0} (one end of a veth pair, the other end on
 * the bridge) holds the pod address, and {@code lo} up. There is deliberately no default route: the
 * connected bridge subnet is all a pod reaches (other pods, and the API server on the bridge address).
 * Every step is idempotent, so a half-made sandbox is completed by running {@link #create} again.
 * The bridge itself (and the routes around it) belong to the cluster scripts, not to the agent.
 */
public final class PodNetwork {

    private static final Pattern LINK_NAME = Pattern.compile("^\\d+:\\s+([^:@\\s]+)[@:]", Pattern.MULTILINE);

    private final String bridge;
    private final Subnet subnet;

    public PodNetwork(String bridge, Subnet subnet) {
        this.bridge = bridge;
        this.subnet = subnet;
    }

    /** Fails with a message saying what is missing when the bridge is absent or not up. */
    public void checkBridge() {
        HostCommand.Result link = HostCommand.attempt(List.of("ip", "-o", "link", "show", "dev", bridge));
        if (!link.ok()) {
            throw new NodeException("bridge " + bridge + " does not exist: ci/cluster/up.sh creates it (ip link add "
                    + bridge + " type bridge; ip addr add " + subnet + " dev " + bridge + "; ip link set " + bridge
                    + " up)");
        }
        String addresses = HostCommand.run(List.of("ip", "-o", "-4", "addr", "show", "dev", bridge));
        if (!addresses.contains(" " + subnet + " ")) {
            throw new NodeException("bridge " + bridge + " does not hold " + subnet + " (it has: "
                    + (addresses.isBlank() ? "no IPv4 address" : addresses.strip()) + ")");
        }
    }

    /** Makes (or completes) the pod's namespace and veth pair, with {@code address} on its {@code eth0}. */
    public void create(PodNetNames names, String address) {
        if (!namespaces().contains(names.namespace())) {
            HostCommand.Result add = HostCommand.attempt(List.of("ip", "netns", "add", names.namespace()));
            if (!add.ok() && !add.output().contains("File exists")) {
                throw new NodeException("cannot create network namespace " + names.namespace() + ": "
                        + add.output().strip());
            }
        }
        boolean podEndInside = linkExists(names.namespace(), "eth0");
        if (!podEndInside) {
            if (!linkExists(null, names.hostVeth())) {
                ip("link", "add", names.hostVeth(), "type", "veth", "peer", "name", names.podVeth());
            }
            if (linkExists(null, names.podVeth())) {
                ip("link", "set", names.podVeth(), "netns", names.namespace());
            }
            ip("-n", names.namespace(), "link", "set", names.podVeth(), "name", "eth0");
        }
        ip("-n", names.namespace(), "addr", "replace", address + "/" + subnet.prefix(), "dev", "eth0");
        ip("-n", names.namespace(), "link", "set", "lo", "up");
        ip("-n", names.namespace(), "link", "set", "eth0", "up");
        ip("link", "set", names.hostVeth(), "master", bridge);
        ip("link", "set", names.hostVeth(), "up");
    }

    /** Removes the namespace (which takes its veth end, and so the pair, with it) and a stray host end. */
    public void remove(PodNetNames names) {
        if (namespaces().contains(names.namespace())) {
            HostCommand.Result del = HostCommand.attempt(List.of("ip", "netns", "del", names.namespace()));
            if (!del.ok() && namespaces().contains(names.namespace())) {
                throw new NodeException("cannot remove network namespace " + names.namespace() + ": "
                        + del.output().strip());
            }
        }
        if (linkExists(null, names.hostVeth())) {
            HostCommand.attempt(List.of("ip", "link", "del", names.hostVeth()));
        }
    }

    /** The processes whose network namespace is this one (whatever process group or session they made). */
    public List<Long> pids(String namespace) {
        if (!namespaces().contains(namespace)) {
            return List.of();
        }
        HostCommand.Result pids = HostCommand.attempt(List.of("ip", "netns", "pids", namespace));
        if (!pids.ok()) {
            return List.of();
        }
        return Arrays.stream(pids.output().split("\\s+"))
                .filter(s -> s.matches("\\d+"))
                .map(Long::parseLong)
                .toList();
    }

    /** Every network namespace, of any owner (names only). */
    public List<String> namespaces() {
        String out = HostCommand.run(List.of("ip", "netns", "list"));
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** Host ends of pod veth pairs ({@code sjh*}) on this agent's bridge, e.g. left by a previous run. */
    public List<String> hostVethsOnBridge() {
        String out = HostCommand.run(List.of("ip", "-o", "link", "show", "master", bridge));
        List<String> names = new ArrayList<>();
        Matcher m = LINK_NAME.matcher(out);
        while (m.find()) {
            if (m.group(1).startsWith(PodNetNames.HOST_VETH_PREFIX)) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    public void removeLink(String name) {
        HostCommand.attempt(List.of("ip", "link", "del", name));
    }

    public void removeNamespace(String namespace) {
        HostCommand.attempt(List.of("ip", "netns", "del", namespace));
    }

    public boolean linkExists(String link) {
        return linkExists(null, link);
    }

    private boolean linkExists(String namespace, String link) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (namespace != null) {
            cmd.addAll(List.of("-n", namespace));
        }
        cmd.addAll(List.of("link", "show", "dev", link));
        return HostCommand.attempt(cmd).ok();
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        HostCommand.run(cmd);
    }
}
