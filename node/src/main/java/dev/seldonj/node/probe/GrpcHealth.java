package dev.seldonj.node.probe;

import dev.seldonj.local.gateway.RawBytes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gRPC probe: {@code grpc.health.v1.Health/Check} for a service name, success when the answer is
 * SERVING. The two tiny messages are encoded by hand (field 1 of each), so no generated stubs are needed.
 */
final class GrpcHealth {

    private static final int SERVING = 1;
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;
    private static final MethodDescriptor<byte[], byte[]> CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private GrpcHealth() {}

    /** Null when serving, else why not. */
    static String check(String host, int port, String service, Duration timeout) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .userAgent("kube-probe/1.33")
                .build();
        try {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            ClientCall<byte[], byte[]> call = channel.newCall(
                    CHECK, CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
            call.start(
                    new ClientCall.Listener<>() {
                        @Override
                        public void onMessage(byte[] message) {
                            answer.complete(message);
                        }

                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            if (!status.isOk()) {
                                answer.completeExceptionally(status.asRuntimeException());
                            }
                            answer.complete(new byte[0]);
                        }
                    },
                    new Metadata());
            call.request(1);
            call.sendMessage(request(service == null ? "" : service));
            call.halfClose();
            int status = status(answer.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS));
            return status == SERVING ? null : "health status " + status + " (not SERVING)";
        } catch (ExecutionException e) {
            return "gRPC health check failed: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "gRPC health check timed out after " + timeout.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            channel.shutdownNow();
        }
    }

    /** HealthCheckRequest{service = 1}. */
    static byte[] request(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0A);
        writeVarint(out, name.length);
        out.writeBytes(name);
        return out.toByteArray();
    }

    /** HealthCheckResponse{status = 1}: 0 (UNKNOWN) when absent. */
    static int status(byte[] message) {
        int i = 0;
        while (i < message.length) {
            long[] tag = readVarint(message, i);
            i = (int) tag[1];
            int field = (int) (tag[0] >>> 3);
            int wire = (int) (tag[0] & 7);
            if (wire == 0) {
                long[] value = readVarint(message, i);
                i = (int) value[1];
                if (field == 1) {
                    return (int) value[0];
                }
            } else if (wire == 2) {
                long[] len = readVarint(message, i);
                i = (int) (len[1] + len[0]);
            } else if (wire == 5) {
                i += 4;
            } else if (wire == 1) {
                i += 8;
            } else {
                break;
            }
        }
        return 0;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** {value, next index}. */
    private static long[] readVarint(byte[] b, int start) {
        long value = 0;
        int shift = 0;
        int i = start;
        while (i < b.length) {
            int x = b[i++] & 0xff;
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return new long[] {value, i};
    }
}
