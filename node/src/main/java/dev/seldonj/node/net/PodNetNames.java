package dev.seldonj.node.net;

import java.util.Locale;

/**
 * The names of a pod's network namespace and veth ends, derived from its uid so that a restarted agent
 * finds them again. Interface names must fit IFNAMSIZ (15 characters).
 *
 * @param namespace {@code sjp-<8 hex>}: the network namespace (and the prefix every leftover sweep looks for)
 * @param hostVeth {@code sjh<8 hex>}: the end that joins the bridge
 * @param podVeth {@code sjc<8 hex>}: the other end, until it is moved into the namespace and renamed {@code eth0}
 */
public record PodNetNames(String namespace, String hostVeth, String podVeth) {

    public static final String NAMESPACE_PREFIX = "sjp-";
    public static final String HOST_VETH_PREFIX = "sjh";
    public static final String POD_VETH_PREFIX = "sjc";

    public static PodNetNames of(String podUid) {
        String hex = podUid.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f]", "");
        if (hex.length() < 8) {
            hex = (hex + "00000000").substring(0, 8);
        }
        String id = hex.substring(0, 8);
        return new PodNetNames(NAMESPACE_PREFIX + id, HOST_VETH_PREFIX + id, POD_VETH_PREFIX + id);
    }
}
