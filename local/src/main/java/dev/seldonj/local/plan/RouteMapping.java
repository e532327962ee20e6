package dev.seldonj.local.plan;

import java.util.Map;

/**
 * An Emissary {@code getambassador.io} Mapping, reduced to what routing needs.
 *
 * @param namespace the Mapping's namespace (its service resolves there when unqualified)
 * @param name the Mapping's name
 * @param prefix the path prefix, or a regular expression when {@code prefixRegex}
 * @param prefixRegex whether {@code prefix} is a regular expression matched against the whole path
 * @param rewrite what replaces the prefix (Emissary's default is {@code /}); ignored for gRPC
 * @param service {@code host[:port]} of the upstream Service ({@code <svc>.<ns>:8000})
 * @param weight percentage of the traffic for this prefix, or null (the remainder)
 * @param shadow whether requests are mirrored here and the answer discarded
 * @param grpc whether this Mapping routes gRPC (HTTP/2) calls
 * @param headers request headers that must all match exactly
 */
public record RouteMapping(String namespace, String name, String prefix, boolean prefixRegex, String rewrite,
    String service, Integer weight, boolean shadow, boolean grpc, Map<String, String> headers) {

  public String qualifiedName() {
    return namespace + "/" + name;
  }
}
