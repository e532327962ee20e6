package dev.seldonj.node.net;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out pod addresses from the bridge's subnet, one per pod uid, never the bridge's own, the network
 * or the broadcast address. An address is free again once its pod is released. A restarted agent
 * reserves the addresses its pods already report, so a new pod never takes an address still in use.
 */
public final class AddressAllocator {

    private final Subnet subnet;
    private final Map<String, Integer> byPod = new HashMap<>();
    private final Map<Integer, String> byAddress = new HashMap<>();
    /** Where the next search starts: recently released addresses are reused last (fewer stale ARP entries). */
    private int next;

    public AddressAllocator(Subnet subnet) {
        this.subnet = subnet;
        this.next = subnet.network() + 1;
    }

    /**
     * The pod's address: the one it already has, else {@code preferred} when it is in the subnet and free,
     * else the next free one.
     *
     * @throws IllegalStateException when the subnet is full
     */
    public synchronized String allocate(String podUid, String preferred) {
        Integer held = byPod.get(podUid);
        if (held != null) {
            return Subnet.format(held);
        }
        Integer wanted =
                usable(preferred).filter(a -> !byAddress.containsKey(a)).orElse(null);
        if (wanted == null) {
            wanted = nextFree()
                    .orElseThrow(() -> new IllegalStateException(
                            "no free pod address left in " + subnet.cidr() + " (" + byPod.size() + " pods hold one)"));
        }
        byPod.put(podUid, wanted);
        byAddress.put(wanted, podUid);
        return Subnet.format(wanted);
    }

    /** Marks an address as held by a pod that exists already (from its status), without a new search. */
    public synchronized void reserve(String podUid, String address) {
        usable(address).filter(a -> !byAddress.containsKey(a)).ifPresent(a -> {
            Integer old = byPod.put(podUid, a);
            if (old != null) {
                byAddress.remove(old);
            }
            byAddress.put(a, podUid);
        });
    }

    public synchronized void release(String podUid) {
        Integer address = byPod.remove(podUid);
        if (address != null) {
            byAddress.remove(address);
        }
    }

    public synchronized Optional<String> addressOf(String podUid) {
        return Optional.ofNullable(byPod.get(podUid)).map(Subnet::format);
    }

    private Optional<Integer> usable(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        int a;
        try {
            a = Subnet.parseAddress(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean ok = subnet.contains(a) && a != subnet.address() && a != subnet.network() && a != subnet.broadcast();
        return ok ? Optional.of(a) : Optional.empty();
    }

    private Optional<Integer> nextFree() {
        int first = subnet.network() + 1;
        int last = subnet.broadcast() - 1;
        int size = last - first + 1;
        for (int i = 0; i < size; i++) {
            int candidate = first + Math.floorMod(next - first + i, size);
            if (candidate != subnet.address() && !byAddress.containsKey(candidate)) {
                next = candidate + 1 > last ? first : candidate + 1;
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
