package dev.seldonj.engine.config;

/**
 * How much the engine's servers hold and how long they wait for clients, resolved from {@link EngineSettings}.
 *
 * @param memoryBudgetBytes body bytes held at once across every request and answer ({@code --memory_budget_bytes})
 * @param headerReadTimeoutMs time from a request's first byte to the end of its head ({@code --header_read_timeout_ms}):
 *     then 408 and the connection is closed
 * @param idleTimeoutMs time a connection may send nothing while the engine waits for it: between requests
 *     (then closed quietly) or within a request's body (then 408 and closed) ({@code --idle_timeout_ms})
 */
public record ServerLimits(long memoryBudgetBytes, long headerReadTimeoutMs, long idleTimeoutMs) {}
