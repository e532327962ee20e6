package dev.seldonj.engine.server;

/**
 * A group of REST routes of one protocol (v2, tensorflow, Seldon's per-model status): the
 * {@link RestHandler} asks each group whether it serves a path its own routes did not match.
 */
public interface RestRoutes {

    boolean serves(String path);

    /** Answers the request, through the exchange (its reply, write and error methods). */
    void handle(Exchange ex, String path);
}
