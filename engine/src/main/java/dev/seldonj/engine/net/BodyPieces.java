package dev.seldonj.engine.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/** A body read in pieces, kept in the network's own buffers: no copy, one composite once there are two. */
public final class BodyPieces {

    /** Pieces a composite holds before Netty consolidates them. */
    private static final int MAX_COMPONENTS = 1024;

    private BodyPieces() {}

    /** {@code body} with {@code piece} appended (retained); {@code body} may be null for the first piece. */
    public static ByteBuf append(ByteBuf body, ByteBuf piece, ByteBufAllocator alloc) {
        if (body == null) {
            return piece.retain();
        }
        CompositeByteBuf pieces;
        if (body instanceof CompositeByteBuf c) {
            pieces = c;
        } else {
            pieces = alloc.compositeDirectBuffer(MAX_COMPONENTS);
            pieces.addComponent(true, body);
        }
        return pieces.addComponent(true, piece.retain());
    }
}
