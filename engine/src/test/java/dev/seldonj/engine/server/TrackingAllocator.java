package dev.seldonj.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** Unpooled direct buffers, each kept: how much was allocated, and whether every buffer was released. */
final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> made = new ArrayList<>();
    private long peakHeldBytes;

    TrackingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return keep(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return keep(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf keep(ByteBuf b) {
        made.add(b);
        peakHeldBytes = Math.max(peakHeldBytes, heldBytes());
        return b;
    }

    /** The most ever held at once (measured at each allocation). */
    long peakHeldBytes() {
        return peakHeldBytes;
    }

    /** The capacity of every buffer allocated so far, released or not. */
    long allocatedBytes() {
        return made.stream().mapToLong(ByteBuf::capacity).sum();
    }

    /** The capacity of the buffers not released yet. */
    long heldBytes() {
        return made.stream()
                .filter(b -> b.refCnt() > 0)
                .mapToLong(ByteBuf::capacity)
                .sum();
    }

    void assertAllReleased() {
        assertThat(made).as("buffers not released").allMatch(b -> b.refCnt() == 0);
    }
}
