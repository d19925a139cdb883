package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.InvalidInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the {@code http_request} tool.
 *
 * @param allowedHosts hosts (as written in URLs, compared without case) that may be reached even
 *     though they resolve to loopback, private or link-local addresses; empty by default
 * @param connectTimeout how long to wait for a connection; 10 seconds by default
 * @param requestTimeout how long one call may take, redirects and reading the body included; 30
 *     seconds by default
 * @param maxResponseBytes how much of a response body to read; the rest is dropped and the result
 *     says it was truncated; 1 MiB by default
 */
public record HttpToolConfig(Set<String> allowedHosts, Duration connectTimeout, Duration requestTimeout, long maxResponseBytes) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

  /** Null settings take their defaults; a max response size of 0 means the default. */
  public HttpToolConfig {
    allowedHosts = allowedHosts == null ? Set.of() : allowedHosts.stream().map(HttpToolConfig::normalizeHost).collect(Collectors.toUnmodifiableSet());
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    maxResponseBytes = maxResponseBytes == 0 ? DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes;
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new InvalidInputException("http tool connect timeout " + connectTimeout + " must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new InvalidInputException("http tool request timeout " + requestTimeout + " must be positive");
    }
    if (maxResponseBytes < 0 || maxResponseBytes > (1L << 30)) {
      throw new InvalidInputException("http tool max response size " + maxResponseBytes + " bytes is not valid; give a size between 1 byte and 1 GiB");
    }
  }

  /** No allowed hosts, 10 s to connect, 30 s per request, 1 MiB of response body. */
  public static HttpToolConfig defaults() {
    return new HttpToolConfig(Set.of(), null, null, 0);
  }

  /** The defaults, with these hosts allowed even when they resolve to non-public addresses. */
  public static HttpToolConfig allowing(String... hosts) {
    return new HttpToolConfig(Set.of(hosts), null, null, 0);
  }

  boolean allows(String host) {
    return allowedHosts.contains(normalizeHost(host));
  }

  static String normalizeHost(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
