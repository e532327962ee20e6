package dev.seldonj.node.net;

/**
 * An IPv4 address with its prefix, as {@code --bridge-address 10.244.100.1/24} gives it: the bridge's own
 * address and the subnet the pods get theirs from.
 */
public record Subnet(int address, int prefix) {

    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("prefix /" + prefix + " leaves no room for pods (use /8../30)");
        }
    }

    /** Parses {@code a.b.c.d/n}; the message of the exception says what is wrong. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address with a prefix, e.g. 10.244.100.1/24");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "': the prefix is not a number");
        }
        return new Subnet(parseAddress(cidr.substring(0, slash)), prefix);
    }

    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    public int mask() {
        return (int) (0xffffffffL << (32 - prefix));
    }

    public int network() {
        return address & mask();
    }

    public int broadcast() {
        return network() | ~mask();
    }

    public boolean contains(int other) {
        return (other & mask()) == network();
    }

    /** The bridge's own address, e.g. {@code 10.244.100.1}. */
    public String host() {
        return format(address);
    }

    /** {@code 10.244.100.0/24}. */
    public String cidr() {
        return format(network()) + "/" + prefix;
    }

    @Override
    public String toString() {
        return host() + "/" + prefix;
    }
}
