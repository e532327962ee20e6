package dev.seldonj.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network rule of the test cluster: ClusterIPs and kwok's fake pod IPs exist on no machine, so
 * they are routed {@code unreachable} (nothing, the API server included, can send them a packet),
 * while the node agent's bridge subnet, the one real part of the pod range, stays reachable.
 */
class ClusterNetworkIT {

    @BeforeAll
    static void cluster() {
        TestCluster.get();
    }

    @Test
    void serviceAndPodRangesAreUnreachable() {
        assertThat(TestCluster.script("network.sh", "check").orThrow()).isEmpty();
        for (String address : List.of("10.96.0.1", "10.96.200.7", "10.244.0.5", "10.244.3.9")) {
            Command route = ip("route", "get", address);
            assertThat(route.ok())
                    .as("a route to %s: %s", address, route.stdout())
                    .isFalse();
            assertThat(route.stderr()).as(address).contains("No route to host");
            // The kernel refuses the connection itself: no packet is sent anywhere.
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(address, 443), 2000);
                        }
                    })
                    .as(address)
                    .isInstanceOf(NoRouteToHostException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void theBridgeSubnetIsTheOneReachablePartOfThePodRange() {
        assertThat(ip("route", "get", "10.244.100.7").orThrow()).contains("dev seldonj0");
    }

    @Test
    void serviceClusterIpsComeFromTheUnreachableRange() {
        String clusterIp = TestCluster.get()
                .kubectl("get", "service", "kubernetes", "-n", "default", "-o", "jsonpath={.spec.clusterIP}")
                .orThrow();
        assertThat(clusterIp).isEqualTo("10.96.0.1");
    }

    private static Command ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        return Command.run(argv, Map.of(), null, Duration.ofSeconds(10));
    }
}
