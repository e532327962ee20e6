package dev.seldonj.wrapper;

import java.util.function.Function;

/** What a {@link RestServer} serves: a complete, read request in, its answer out; called on worker threads only. */
@FunctionalInterface
interface RestHandler {

    /**
     * @param path the decoded path without the query
     * @param rawQuery the query string as sent, or null
     * @param header the request's header value by name (any case), or null when absent
     */
    RestAnswer answer(String method, String path, String rawQuery, Function<String, String> header, byte[] body);
}
