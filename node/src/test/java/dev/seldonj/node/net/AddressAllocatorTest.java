package dev.seldonj.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressAllocatorTest {

    private final Subnet subnet = Subnet.parse("10.244.100.1/24");

    @Test
    void subnetArithmetic() {
        assertThat(subnet.host()).isEqualTo("10.244.100.1");
        assertThat(subnet.cidr()).isEqualTo("10.244.100.0/24");
        assertThat(subnet.contains(Subnet.parseAddress("10.244.100.254"))).isTrue();
        assertThat(subnet.contains(Subnet.parseAddress("10.244.101.2"))).isFalse();
        assertThatThrownBy(() -> Subnet.parse("10.244.100.1")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Subnet.parse("10.244.300.1/24")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void handsOutAddressesFromDot2SkippingTheBridgeAndKeepsThemPerPod() {
        AddressAllocator a = new AddressAllocator(subnet);
        assertThat(a.allocate("p1", null)).isEqualTo("10.244.100.2");
        assertThat(a.allocate("p2", null)).isEqualTo("10.244.100.3");
        assertThat(a.allocate("p1", null)).isEqualTo("10.244.100.2");
        assertThat(a.addressOf("p2")).contains("10.244.100.3");
    }

    @Test
    void theBridgeAddressIsNeverGivenEvenWhenItIsNotDot1() {
        AddressAllocator a = new AddressAllocator(Subnet.parse("10.1.0.2/30"));
        assertThat(a.allocate("p1", "10.1.0.2")).isEqualTo("10.1.0.1");
        assertThatThrownBy(() -> a.allocate("p2", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no free pod address left in 10.1.0.0/30");
    }

    @Test
    void reservedAddressesOfExistingPodsAreNotGivenToNewOnes() {
        AddressAllocator a = new AddressAllocator(subnet);
        a.reserve("old", "10.244.100.2");
        a.reserve("outside", "10.9.9.9");
        assertThat(a.allocate("new", null)).isEqualTo("10.244.100.3");
        assertThat(a.allocate("old", null)).isEqualTo("10.244.100.2");
        assertThat(a.addressOf("outside")).isEmpty();
    }

    @Test
    void aPreferredFreeAddressIsKeptAndATakenOneIsNot() {
        AddressAllocator a = new AddressAllocator(subnet);
        assertThat(a.allocate("p1", "10.244.100.9")).isEqualTo("10.244.100.9");
        assertThat(a.allocate("p2", "10.244.100.9")).isEqualTo("10.244.100.2");
    }

    @Test
    void aReleasedAddressIsReusedOnlyAfterTheFreshOnes() {
        AddressAllocator a = new AddressAllocator(Subnet.parse("10.1.0.1/29"));
        assertThat(a.allocate("p0", null)).isEqualTo("10.1.0.2");
        assertThat(a.allocate("p1", null)).isEqualTo("10.1.0.3");
        a.release("p0");
        assertThat(a.addressOf("p0")).isEmpty();
        assertThat(a.allocate("p2", null)).isEqualTo("10.1.0.4");
        assertThat(a.allocate("p3", null)).isEqualTo("10.1.0.5");
        assertThat(a.allocate("p4", null)).isEqualTo("10.1.0.6");
        assertThat(a.allocate("p5", null)).isEqualTo("10.1.0.2");
    }

    @Test
    void namesFitInterfaceNameLimits() {
        PodNetNames names = PodNetNames.of("5C5BF2BA-cfd8-4bac-9a34-349edcc403f9");
        assertThat(names.namespace()).isEqualTo("sjp-5c5bf2ba");
        assertThat(names.hostVeth()).isEqualTo("sjh5c5bf2ba").hasSizeLessThanOrEqualTo(15);
        assertThat(names.podVeth()).isEqualTo("sjc5c5bf2ba").hasSizeLessThanOrEqualTo(15);
    }
}
