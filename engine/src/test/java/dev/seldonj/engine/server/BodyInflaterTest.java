package dev.seldonj.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.DecompressionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BodyInflaterTest {

    private static final byte[] JSON =
            "{\"data\":{\"ndarray\":[[1,2,3],[4,5,6]]},\"meta\":{\"puid\":\"p\"}}".getBytes(StandardCharsets.UTF_8);

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        alloc.assertAllReleased();
    }

    /** What a body inflated to, and the sizes of the pieces it came in. */
    private final class Inflated {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> pieces = new ArrayList<>();
        final long limit;

        Inflated(long limit) {
            this.limit = limit;
        }

        boolean take(ByteBuf piece) {
            pieces.add(piece.readableBytes());
            byte[] b = new byte[piece.readableBytes()];
            piece.getBytes(piece.readerIndex(), b);
            bytes.writeBytes(b);
            return bytes.size() <= limit;
        }
    }

    /** Feeds the body in the chunks given, then ends it. */
    private Inflated inflate(String encoding, byte[]... chunks) {
        Inflated out = new Inflated(Long.MAX_VALUE);
        try (BodyInflater inflater = BodyInflater.forEncoding(encoding)) {
            for (byte[] chunk : chunks) {
                ByteBuf in = Unpooled.wrappedBuffer(chunk);
                assertThat(inflater.inflate(in, alloc, out::take)).isTrue();
                in.release();
            }
            assertThat(inflater.finish(out::take)).isTrue();
        }
        return out;
    }

    private DecompressionException failure(String encoding, byte[] body) {
        try {
            inflate(encoding, body);
        } catch (DecompressionException e) {
            return e;
        }
        throw new AssertionError("no failure for " + encoding + " " + Arrays.toString(body));
    }

    @Test
    void encodingsAreTheOnesNettyDecodedAnyCase() {
        for (String e : List.of("gzip", "x-gzip", "GZIP", " Gzip ", "deflate", "x-deflate", "DEFLATE")) {
            try (BodyInflater inflater = BodyInflater.forEncoding(e)) {
                assertThat(inflater).as(e).isNotNull();
            }
        }
        for (String e : Arrays.asList(null, "identity", "IDENTITY", "br", "zstd", "compress", "gzip, identity", "")) {
            assertThat(BodyInflater.forEncoding(e)).as(e).isNull();
        }
    }

    @Test
    void gzipWithEveryOptionalHeaderFieldSplitAtEveryByte() throws IOException {
        byte[] gz = gzipWithAllHeaderFields(JSON);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes())
                .as("the JDK reads it")
                .isEqualTo(JSON);
        for (int cut = 0; cut <= gz.length; cut++) {
            Inflated out = inflate("gzip", Arrays.copyOfRange(gz, 0, cut), Arrays.copyOfRange(gz, cut, gz.length));
            assertThat(out.bytes.toByteArray()).as("split at " + cut).isEqualTo(JSON);
        }
        assertThat(inflate("gzip", bytes(gz)).bytes.toByteArray())
                .as("byte by byte")
                .isEqualTo(JSON);
    }

    @Test
    void deflateZlibWrappedAndRawSplitAtEveryByte() {
        for (byte[] deflated : List.of(deflate(JSON, false), deflate(JSON, true))) {
            for (int cut = 0; cut <= deflated.length; cut++) {
                Inflated out = inflate(
                        "deflate",
                        Arrays.copyOfRange(deflated, 0, cut),
                        Arrays.copyOfRange(deflated, cut, deflated.length));
                assertThat(out.bytes.toByteArray()).as("split at " + cut).isEqualTo(JSON);
            }
            assertThat(inflate("x-deflate", bytes(deflated)).bytes.toByteArray())
                    .isEqualTo(JSON);
        }
        // The smallest raw deflate stream (an empty final block) is two bytes: no room for a zlib header.
        assertThat(inflate("deflate", new byte[] {3, 0}).bytes.size()).isZero();
    }

    @Test
    void aLargeBodyComesInFullPiecesOfBoundedSize() throws IOException {
        byte[] body = new byte[300_000];
        Random random = new Random(1);
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('0' + random.nextInt(10));
        }
        byte[] gz = gzip(body);
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < gz.length; at += 7000) {
            chunks.add(Arrays.copyOfRange(gz, at, Math.min(gz.length, at + 7000)));
        }
        Inflated out = inflate("gzip", chunks.toArray(byte[][]::new));

        assertThat(out.bytes.toByteArray()).isEqualTo(body);
        assertThat(out.pieces.subList(0, out.pieces.size() - 1)).containsOnly(BodyInflater.PIECE_BYTES);
        assertThat(out.pieces).hasSize(5);
    }

    @Test
    void concatenatedGzipMembersAreOneBody() throws IOException {
        byte[] a = gzip(Arrays.copyOfRange(JSON, 0, 10));
        byte[] b = gzipWithAllHeaderFields(Arrays.copyOfRange(JSON, 10, JSON.length));
        byte[] both = concat(a, b);

        assertThat(inflate("gzip", both).bytes.toByteArray()).isEqualTo(JSON);
        assertThat(inflate("gzip", bytes(both)).bytes.toByteArray()).isEqualTo(JSON);
    }

    @Test
    void anEmptyBodyIsEmpty() {
        assertThat(inflate("gzip").bytes.size()).isZero();
        assertThat(inflate("deflate", new byte[0]).bytes.size()).isZero();
    }

    @Test
    void aBodyThatDoesNotMatchItsEncodingFailsSayingWhy() throws IOException {
        byte[] gz = gzip(JSON);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        byte[] badSize = gz.clone();
        badSize[gz.length - 1] = 9;
        byte[] badHeaderCrc = gzipWithAllHeaderFields(JSON);
        int hcrc = indexOf(badHeaderCrc, "a comment\0".getBytes(StandardCharsets.ISO_8859_1)) + 10;
        badHeaderCrc[hcrc] ^= 1;
        byte[] reserved = gz.clone();
        reserved[3] = (byte) 0x20;
        byte[] method = gz.clone();
        method[2] = 7;
        byte[] corrupt = gz.clone();
        corrupt[10] = (byte) 0xff;

        assertThat(failure("gzip", JSON)).hasMessage("not gzip data: it starts with 0x7b 0x22, not 0x1f 0x8b");
        assertThat(failure("gzip", badCrc)).hasMessageStartingWith("the gzip trailer's CRC-32 is 0x");
        assertThat(failure("gzip", badSize))
                .hasMessage("the gzip trailer's size is " + (0x09000000L + JSON.length)
                        + " bytes, the data inflated to " + JSON.length);
        assertThat(failure("gzip", badHeaderCrc)).hasMessageStartingWith("the gzip header's checksum is 0x");
        assertThat(failure("gzip", reserved)).hasMessage("the gzip header sets reserved flags (0x20)");
        assertThat(failure("gzip", method)).hasMessage("the gzip header names compression method 7, not deflate (8)");
        assertThat(failure("gzip", corrupt)).hasMessageStartingWith("invalid deflate data (");
        assertThat(failure("gzip", concat(gz, "xyz".getBytes(StandardCharsets.ISO_8859_1))))
                .hasMessage("bytes after the end of the gzip data");
        assertThat(failure("gzip", concat(gz, new byte[] {0}))).hasMessage("bytes after the end of the gzip data");
        assertThat(failure("deflate", concat(deflate(JSON, false), new byte[] {'a'})))
                .hasMessage("bytes after the end of the deflate data");
        assertThat(failure("deflate", concat(deflate(JSON, true), new byte[] {'a'})))
                .hasMessage("bytes after the end of the deflate data");
        byte[] badAdler = deflate(JSON, false);
        badAdler[badAdler.length - 1] ^= 1;
        assertThat(failure("deflate", badAdler)).hasMessage("invalid deflate data (incorrect data check)");
        Deflater withDictionary = new Deflater();
        withDictionary.setDictionary("ndarray".getBytes(StandardCharsets.US_ASCII));
        assertThat(failure("deflate", deflate(JSON, withDictionary)))
                .hasMessage("the zlib data needs a preset dictionary");
    }

    @Test
    void aStreamCutShortAnywhereFails() throws IOException {
        for (byte[] full : List.of(gzipWithAllHeaderFields(JSON), deflate(JSON, false), deflate(JSON, true))) {
            String encoding = full[0] == 0x1f ? "gzip" : "deflate";
            for (int cut = 1; cut < full.length; cut++) {
                assertThat(failure(encoding, Arrays.copyOfRange(full, 0, cut)).getMessage())
                        .as(encoding + " cut at " + cut)
                        .startsWith("the body ends ");
            }
        }
    }

    @Test
    void aBombStopsAtTheLimitPlusOnePiece() throws IOException {
        byte[] gz = bomb(120);
        int limit = 8 * 1024 * 1024;
        Inflated out = new Inflated(limit);
        // The first read's worth inflates to ~64 MB.
        ByteBuf first = Unpooled.wrappedBuffer(gz, 0, 64 * 1024);
        try (BodyInflater inflater = BodyInflater.forEncoding("gzip")) {
            assertThat(inflater.inflate(first, alloc, out::take)).as("refused").isFalse();
        } finally {
            first.release();
        }

        assertThat(gz.length).isLessThan(130_000);
        assertThat(out.bytes.size()).isGreaterThan(limit).isLessThanOrEqualTo(limit + BodyInflater.PIECE_BYTES);
        assertThat(alloc.allocatedBytes())
                .as("all it ever allocated")
                .isLessThanOrEqualTo(limit + BodyInflater.PIECE_BYTES);
    }

    @Test
    void closingMidStreamReleasesThePieceBeingFilled() throws IOException {
        byte[] gz = gzip(JSON);
        BodyInflater inflater = BodyInflater.forEncoding("gzip");
        Inflated out = new Inflated(Long.MAX_VALUE);
        ByteBuf in = Unpooled.wrappedBuffer(gz, 0, gz.length - 8);
        inflater.inflate(in, alloc, out::take);
        in.release();
        assertThat(alloc.heldBytes()).isEqualTo(BodyInflater.PIECE_BYTES);
        inflater.close();
        inflater.close();
        assertThat(out.pieces).isEmpty();
    }

    /** ~1 KB per MiB: a JSON body of zeros, as in the reproduction that exhausted the heap. */
    static byte[] bomb(int mebibytes) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        byte[] zeros = "0,".repeat(512 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (GZIPOutputStream out = new GZIPOutputStream(gz) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write("{\"data\":{\"ndarray\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < mebibytes; i++) {
                out.write(zeros);
            }
            out.write("0]}}".getBytes(StandardCharsets.US_ASCII));
        }
        return gz.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        return gz.toByteArray();
    }

    /** RFC 1952 with FEXTRA, FNAME, FCOMMENT and FHCRC, which the JDK's writer never sets. */
    static byte[] gzipWithAllHeaderFields(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x1f, 1, 2, 3, 4, 2, (byte) 255});
        out.writeBytes(new byte[] {6, 0, 'A', 'B', 2, 0, 'x', 'y'});
        out.writeBytes("body.json\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 header = new CRC32();
        header.update(out.toByteArray());
        out.write((int) header.getValue() & 0xff);
        out.write((int) (header.getValue() >> 8) & 0xff);
        out.writeBytes(deflate(data, true));
        CRC32 crc = new CRC32();
        crc.update(data);
        for (long v : new long[] {crc.getValue(), data.length}) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) {
        return deflate(data, new Deflater(Deflater.DEFAULT_COMPRESSION, raw));
    }

    private static byte[] deflate(byte[] data, Deflater deflater) {
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[][] bytes(byte[] data) {
        byte[][] each = new byte[data.length][];
        for (int i = 0; i < data.length; i++) {
            each[i] = new byte[] {data[i]};
        }
        return each;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
