package dev.seldonj.engine;

import com.google.protobuf.util.JsonFormat;
import dev.seldonj.engine.config.PredictorSource;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.prometheus.metrics.core.metrics.Histogram;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.SeldonGrpc;
import org.slf4j.LoggerFactory;

/**
 * Start-up is dominated by class loading and first-time work: reading a SeldonDeployment builds
 * Jackson's (de)serializers for the fabric8 types, and Micronaut, Netty, gRPC, protobuf and logging
 * load thousands of classes of their own. The main thread parses the flags and starts the Micronaut
 * context while two threads warm the rest: the graph reader (the longest part: the real read waits
 * for it), and logging with the servers' libraries, which used to queue behind the graph reader and
 * hold up the REST server.
 */
final class StartupWarmup {

    private StartupWarmup() {}

    /** Starts warming; {@code args} (the command line, not yet parsed) tell which graph reader to warm. */
    static void start(String[] args) {
        boolean fromFile = false;
        for (String arg : args) {
            fromFile |= arg.equals("--file")
                    || arg.equals("-file")
                    || arg.startsWith("--file=")
                    || arg.startsWith("-file=");
        }
        boolean fileReader = fromFile || System.getenv("ENGINE_PREDICTOR") == null;
        daemon("engine-warmup-graph", () -> PredictorSource.warmUp(fileReader));
        daemon("engine-warmup-servers", StartupWarmup::servers);
    }

    private static void daemon(String name, Runnable warm) {
        Thread thread = new Thread(warm, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void servers() {
        LoggerFactory.getLogger(StartupWarmup.class);
        SeldonGrpc.getServiceDescriptor();
        ModelGrpc.getServiceDescriptor();
        JsonFormat.printer();
        NettyServerBuilder.forPort(0);
        ProtoReflectionServiceV1.newInstance();
        Histogram.builder();
        new HttpRequestDecoder();
        new HttpResponseDecoder();
    }
}
