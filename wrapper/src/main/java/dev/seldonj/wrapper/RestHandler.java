package dev.seldonj.wrapper;

/** What a {@link RestServer} serves: a complete, read request in, its answer out; called on worker threads only. */
@FunctionalInterface
interface RestHandler {

  /**
   * @param path the decoded path without the query
   * @param rawQuery the query string as sent, or null
   */
  RestAnswer answer(String method, String path, String rawQuery, String contentType, byte[] body);
}
