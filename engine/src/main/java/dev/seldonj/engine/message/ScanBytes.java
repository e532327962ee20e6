package dev.seldonj.engine.message;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The readable bytes of a buffer as an array starting at index 0, for {@link SeldonJsonScanner}: the
 * buffer's own array when it is a whole wrapped {@code byte[]}, otherwise a copy into an array kept
 * per thread (pooled network buffers are off-heap). One memory copy, no allocation per message.
 */
final class ScanBytes {

    /** Larger copies are not kept, so a rare huge message does not pin its size per thread. */
    private static final int KEEP_MAX = 2 * 1024 * 1024;

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

    private ScanBytes() {}

    static byte[] of(ByteBuf buf) {
        int n = buf.readableBytes();
        if (buf.hasArray() && buf.arrayOffset() + buf.readerIndex() == 0) {
            return buf.array();
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(KEEP_MAX, scratch.length * 2))];
            if (scratch.length <= KEEP_MAX) {
                SCRATCH.set(scratch);
            }
        }
        buf.getBytes(buf.readerIndex(), scratch, 0, n);
        return scratch;
    }
}
