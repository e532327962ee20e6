package dev.seldonj.local.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void anAllocatorNeverHandsOutAPortTwice() {
        // The kernel picks ephemeral ports at random among ~28k: 2,000 asks repeat one many times over.
        PortAllocator ports = PortAllocator.ephemeral();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int port = ports.next();
            assertThat(port).isPositive();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
