package dev.seldonj.engine.it;

import java.util.ArrayDeque;
import java.util.Deque;

/** What one test started: component servers and engines, closed after it (engines first). */
final class Fixtures implements AutoCloseable {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    RestComponent rest(String name) throws Exception {
        RestComponent c = new RestComponent(name);
        open.addLast(c);
        return c;
    }

    GrpcComponent grpc(String name) throws Exception {
        GrpcComponent c = new GrpcComponent(name);
        open.addLast(c);
        return c;
    }

    /** Anything else the test started, closed after the engines. */
    <T extends AutoCloseable> T closing(T resource) {
        open.addLast(resource);
        return resource;
    }

    LogSink sink(LogSink sink) {
        return closing(sink);
    }

    EngineFixture engine(EngineFixture.Spec spec) {
        EngineFixture e = EngineFixture.start(spec);
        open.addFirst(e);
        return e;
    }

    @Override
    public void close() throws Exception {
        while (!open.isEmpty()) {
            open.removeFirst().close();
        }
    }
}
