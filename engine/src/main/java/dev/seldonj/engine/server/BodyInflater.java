package dev.seldonj.engine.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.compression.DecompressionException;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one compressed request body as it arrives, into pieces of at most {@link #PIECE_BYTES}, each
 * handed on before the next is made: the caller checks its limit after every piece and refuses the one
 * that would take it over, which stops the inflation. A body that inflates a thousandfold (a "gzip bomb")
 * so costs at most the limit plus one piece; Netty's decompressor inflated each received chunk into one
 * buffer of whatever size it came to, before any limit was checked.
 *
 * <p>Reads what Netty's {@code HttpContentDecompressor} read for the engine: {@code gzip} and
 * {@code x-gzip} (RFC 1952, with any optional header fields; concatenated members too, as Netty
 * accepted; every member's CRC-32 and size checked), and {@code deflate} and {@code x-deflate}
 * (zlib-wrapped per RFC 1950, or raw deflate, told apart by the first two bytes as Netty did). A body
 * that does not match its encoding (bad header or checksum, cut short, bytes after its end) is a
 * {@link DecompressionException}; Netty let the last two pass. An empty body is an empty body.
 *
 * <p>Not thread-safe: one per request, on its channel's event loop. {@link #close()} frees the native
 * inflater and the piece being filled, on every path.
 */
final class BodyInflater implements AutoCloseable {

    static final int PIECE_BYTES = 64 * 1024;

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xe0;

    /** Where in the stream the next byte belongs; the gzip header fields in the order they come. */
    private enum Step {
        /** The first two bytes of a deflate body: a zlib header, or the start of raw deflate data. */
        ZLIB_OR_RAW,
        GZIP_MAGIC,
        GZIP_FIXED,
        GZIP_EXTRA_LENGTH,
        GZIP_EXTRA,
        GZIP_NAME,
        GZIP_COMMENT,
        GZIP_HEADER_CRC,
        INFLATING,
        GZIP_TRAILER,
        /** A gzip member ended: the body may end here, or another member follow. */
        GZIP_MEMBER_END,
        /** The deflate stream ended: the body must end here. */
        DEFLATE_END
    }

    private final boolean gzip;
    /** Of the gzip header (for FHCRC), then of the member's inflated bytes. */
    private final CRC32 crc = new CRC32();
    /** Fixed-size fields split across the body's chunks are gathered here. */
    private final byte[] scratch = new byte[8];

    private int scratchLength;
    private Step step;
    private Inflater inflater;
    /** The piece being filled: handed on once full, or at the end of the body. */
    private ByteBuf piece;

    private int flags;
    private int extraLeft;
    private long memberBytes;
    private int members;
    private boolean started;

    private BodyInflater(boolean gzip) {
        this.gzip = gzip;
        this.step = gzip ? Step.GZIP_MAGIC : Step.ZLIB_OR_RAW;
    }

    /**
     * The inflater for a body with this {@code Content-Encoding}, or null when the body is taken as it is:
     * none, {@code identity}, or an encoding the engine does not decode (as with Netty's decompressor).
     */
    static BodyInflater forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        String e = contentEncoding.trim();
        if (e.equalsIgnoreCase("gzip") || e.equalsIgnoreCase("x-gzip")) {
            return new BodyInflater(true);
        }
        if (e.equalsIgnoreCase("deflate") || e.equalsIgnoreCase("x-deflate")) {
            return new BodyInflater(false);
        }
        return null;
    }

    /**
     * Inflates the next bytes of the body, handing each full piece to {@code pieces}, which retains what it
     * keeps (the piece is released after) and answers false to refuse it. Stops at a refusal, inflating
     * nothing more, and answers false.
     *
     * @throws DecompressionException when the bytes do not match the encoding
     */
    boolean inflate(ByteBuf compressed, ByteBufAllocator alloc, Predicate<ByteBuf> pieces) {
        ByteBuffer in = compressed.nioBuffer();
        started |= in.hasRemaining();
        while (in.hasRemaining()) {
            switch (step) {
                case ZLIB_OR_RAW -> {
                    if (take(in, 2, false) && !startDeflate(alloc, pieces)) {
                        return false;
                    }
                }
                case GZIP_MAGIC, GZIP_FIXED, GZIP_EXTRA_LENGTH, GZIP_EXTRA, GZIP_NAME, GZIP_COMMENT, GZIP_HEADER_CRC ->
                    readGzipHeader(in);
                case INFLATING -> {
                    if (!inflateFrom(in, alloc, pieces)) {
                        return false;
                    }
                }
                case GZIP_TRAILER -> {
                    if (take(in, 8, false)) {
                        checkTrailer();
                    }
                }
                case GZIP_MEMBER_END -> startMember();
                case DEFLATE_END -> throw fail("bytes after the end of the deflate data");
            }
        }
        return true;
    }

    /**
     * The body ended: hands on the last piece (false when {@code pieces} refuses it).
     *
     * @throws DecompressionException when the compressed data was cut short
     */
    boolean finish(Predicate<ByteBuf> pieces) {
        if (started && step != Step.GZIP_MEMBER_END && step != Step.DEFLATE_END) {
            throw fail(
                    switch (step) {
                        case GZIP_MAGIC ->
                            members > 0
                                    ? "bytes after the end of the gzip data"
                                    : "the body ends inside the gzip header";
                        case INFLATING, ZLIB_OR_RAW -> "the body ends before the end of the compressed data";
                        case GZIP_TRAILER -> "the body ends inside the gzip trailer";
                        default -> "the body ends inside the gzip header";
                    });
        }
        return piece == null || !piece.isReadable() || handOver(pieces);
    }

    /** Frees the native inflater and the piece being filled; safe to call more than once. */
    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        if (piece != null) {
            piece.release();
            piece = null;
        }
    }

    /** Gathers {@code n} bytes into {@link #scratch}; true once all are there (the next take starts afresh). */
    private boolean take(ByteBuffer in, int n, boolean headerBytes) {
        int k = Math.min(n - scratchLength, in.remaining());
        in.get(scratch, scratchLength, k);
        if (headerBytes) {
            crc.update(scratch, scratchLength, k);
        }
        scratchLength += k;
        if (scratchLength < n) {
            return false;
        }
        scratchLength = 0;
        return true;
    }

    /** The deflate body's first two bytes are in: a zlib header (RFC 1950 2.2) or raw deflate data. */
    private boolean startDeflate(ByteBufAllocator alloc, Predicate<ByteBuf> pieces) {
        int cmf = scratch[0] & 0xff;
        boolean zlib = (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | (scratch[1] & 0xff)) % 31 == 0;
        inflater = new Inflater(!zlib);
        step = Step.INFLATING;
        ByteBuffer first = ByteBuffer.wrap(scratch, 0, 2);
        if (!inflateFrom(first, alloc, pieces)) {
            return false;
        }
        if (first.hasRemaining()) {
            throw fail("bytes after the end of the deflate data");
        }
        return true;
    }

    /** One header field (or the part of it this chunk holds). */
    private void readGzipHeader(ByteBuffer in) {
        switch (step) {
            case GZIP_MAGIC -> {
                if (take(in, 2, true)) {
                    if (scratch[0] != 0x1f || scratch[1] != (byte) 0x8b) {
                        throw fail(
                                members > 0
                                        ? "bytes after the end of the gzip data"
                                        : String.format(
                                                "not gzip data: it starts with 0x%02x 0x%02x, not 0x1f 0x8b",
                                                scratch[0] & 0xff, scratch[1] & 0xff));
                    }
                    step = Step.GZIP_FIXED;
                }
            }
            case GZIP_FIXED -> {
                // CM FLG MTIME(4) XFL OS
                if (take(in, 8, true)) {
                    if (scratch[0] != 8) {
                        throw fail("the gzip header names compression method " + (scratch[0] & 0xff)
                                + ", not deflate (8)");
                    }
                    flags = scratch[1] & 0xff;
                    if ((flags & RESERVED_FLAGS) != 0) {
                        throw fail(
                                String.format("the gzip header sets reserved flags (0x%02x)", flags & RESERVED_FLAGS));
                    }
                    nextHeaderField(Step.GZIP_FIXED);
                }
            }
            case GZIP_EXTRA_LENGTH -> {
                if (take(in, 2, true)) {
                    extraLeft = le16(0);
                    if (extraLeft == 0) {
                        nextHeaderField(Step.GZIP_EXTRA);
                    } else {
                        step = Step.GZIP_EXTRA;
                    }
                }
            }
            case GZIP_EXTRA -> {
                int k = Math.min(extraLeft, in.remaining());
                crc.update(in.slice(in.position(), k));
                in.position(in.position() + k);
                extraLeft -= k;
                if (extraLeft == 0) {
                    nextHeaderField(Step.GZIP_EXTRA);
                }
            }
            case GZIP_NAME, GZIP_COMMENT -> {
                // Zero-terminated, of any length: skipped, never kept.
                byte b = in.get();
                crc.update(b);
                if (b == 0) {
                    nextHeaderField(step);
                }
            }
            case GZIP_HEADER_CRC -> {
                long expected = crc.getValue() & 0xffff;
                if (take(in, 2, false)) {
                    if (le16(0) != expected) {
                        throw fail(String.format(
                                "the gzip header's checksum is 0x%04x, the header's CRC-16 is 0x%04x",
                                le16(0), expected));
                    }
                    startInflating();
                }
            }
            default -> throw new IllegalStateException(step.name());
        }
    }

    /** The optional header field after {@code done} that the flags announce, else the compressed data. */
    private void nextHeaderField(Step done) {
        if (done.compareTo(Step.GZIP_EXTRA_LENGTH) < 0 && (flags & FEXTRA) != 0) {
            step = Step.GZIP_EXTRA_LENGTH;
        } else if (done.compareTo(Step.GZIP_NAME) < 0 && (flags & FNAME) != 0) {
            step = Step.GZIP_NAME;
        } else if (done.compareTo(Step.GZIP_COMMENT) < 0 && (flags & FCOMMENT) != 0) {
            step = Step.GZIP_COMMENT;
        } else if (done.compareTo(Step.GZIP_HEADER_CRC) < 0 && (flags & FHCRC) != 0) {
            step = Step.GZIP_HEADER_CRC;
        } else {
            startInflating();
        }
    }

    private void startInflating() {
        if (inflater == null) {
            inflater = new Inflater(true);
        } else {
            inflater.reset();
        }
        crc.reset();
        memberBytes = 0;
        step = Step.INFLATING;
    }

    /** Another gzip member follows the one that ended. */
    private void startMember() {
        crc.reset();
        flags = 0;
        step = Step.GZIP_MAGIC;
    }

    /**
     * Inflates from {@code in} until it is used up or the deflate data ends (what follows stays in
     * {@code in}); false when {@code pieces} refuses a piece.
     */
    private boolean inflateFrom(ByteBuffer in, ByteBufAllocator alloc, Predicate<ByteBuf> pieces) {
        inflater.setInput(in);
        try {
            while (!inflater.finished()) {
                if (piece == null) {
                    piece = alloc.buffer(PIECE_BYTES, PIECE_BYTES);
                }
                int at = piece.writerIndex();
                int n = inflater.inflate(piece.nioBuffer(at, piece.writableBytes()));
                if (n > 0) {
                    piece.writerIndex(at + n);
                    if (gzip) {
                        crc.update(piece.nioBuffer(at, n));
                    }
                    memberBytes += n;
                    if (!piece.isWritable() && !handOver(pieces)) {
                        return false;
                    }
                } else if (inflater.finished()) {
                    break;
                } else if (inflater.needsDictionary()) {
                    throw fail("the zlib data needs a preset dictionary");
                } else if (inflater.needsInput()) {
                    return true;
                } else {
                    // Room to write, input to read, and no progress: never expected of zlib; do not spin on it.
                    throw fail("the compressed data cannot be inflated");
                }
            }
        } catch (DataFormatException e) {
            throw fail("invalid deflate data (" + e.getMessage() + ")");
        }
        step = gzip ? Step.GZIP_TRAILER : Step.DEFLATE_END;
        return true;
    }

    /** CRC32 then ISIZE (the member's size modulo 2^32), little-endian. */
    private void checkTrailer() {
        long crc32 = le32(0);
        long size = le32(4);
        if (crc32 != crc.getValue()) {
            throw fail(String.format(
                    "the gzip trailer's CRC-32 is 0x%08x, the inflated data's is 0x%08x", crc32, crc.getValue()));
        }
        if (size != (memberBytes & 0xffffffffL)) {
            throw fail("the gzip trailer's size is " + size + " bytes, the data inflated to " + memberBytes);
        }
        members++;
        step = Step.GZIP_MEMBER_END;
    }

    private boolean handOver(Predicate<ByteBuf> pieces) {
        ByteBuf p = piece;
        piece = null;
        try {
            return pieces.test(p);
        } finally {
            p.release();
        }
    }

    private int le16(int at) {
        return (scratch[at] & 0xff) | (scratch[at + 1] & 0xff) << 8;
    }

    private long le32(int at) {
        return (le16(at) | (long) le16(at + 2) << 16) & 0xffffffffL;
    }

    private DecompressionException fail(String what) {
        return new DecompressionException(what);
    }
}
