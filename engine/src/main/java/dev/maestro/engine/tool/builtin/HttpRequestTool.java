package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code http_request}: sends one HTTP request and returns the status, a few headers and the body
 * (at most {@link HttpToolConfig#maxResponseBytes()} of it) as JSON text.
 *
 * <p>Server-side request forgery: before each request, and again for every redirect (followed here,
 * at most {@value #MAX_REDIRECTS}, never by the client), the host is resolved and the call refused
 * if any of its addresses is loopback, private, link-local (cloud metadata), carrier-grade NAT,
 * multicast or another non-public range, unless the host is in {@link
 * HttpToolConfig#allowedHosts()}. Known limitation: the client resolves the host again when it
 * connects, so a DNS server that answers differently the second time (DNS rebinding) can still steer
 * a request to a private address; closing that window needs connecting to the checked address
 * itself, which the JDK client does not offer without giving up TLS host name checks.
 *
 * <p>A call is idempotent for GET, PUT and DELETE, and not for POST, as HTTP defines them.
 */
public final class HttpRequestTool implements Tool, AutoCloseable {
  static final String NAME = "http_request";
  static final int MAX_REDIRECTS = 5;
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE");
  private static final List<String> REPORTED_HEADERS = List.of("content-type", "content-length", "location", "last-modified", "etag", "retry-after");
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
  private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([^\";\\s]+)");

  private final HttpToolConfig config;
  private final HttpClient client;
  private final ToolSpec spec;

  /** A tool with {@link HttpToolConfig#defaults()}. */
  public HttpRequestTool() {
    this(HttpToolConfig.defaults());
  }

  public HttpRequestTool(HttpToolConfig config) {
    this.config = config == null ? HttpToolConfig.defaults() : config;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(this.config.connectTimeout())
        .build();
    this.spec = new ToolSpec(NAME,
        "Sends an HTTP request to a public http(s) URL and returns JSON with the status, main headers and body"
            + " (bodies over " + this.config.maxResponseBytes() + " bytes are truncated). Redirects are followed.",
        Json.tree("""
            {"type":"object",
             "properties":{
               "method":{"type":"string","enum":["GET","POST","PUT","DELETE"],"description":"HTTP method; GET if omitted"},
               "url":{"type":"string","description":"absolute http or https URL, for example 'https://api.example.com/items?limit=10'"},
               "headers":{"type":"object","additionalProperties":{"type":"string"},"description":"request headers, for example {\\"Accept\\":\\"application/json\\"}"},
               "body":{"type":"string","description":"request body, for POST and PUT; set a Content-Type header to match"}},
             "required":["url"]}"""),
        RiskLevel.LOW, false, Duration.ofSeconds(60));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  /** GET, PUT and DELETE may be repeated; POST (or an invalid call) may not. */
  @Override
  public boolean idempotent(JsonNode arguments) {
    try {
      return !method(arguments).equals("POST");
    } catch (ToolException e) {
      return false;
    }
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    String method = method(arguments);
    URI uri = url(ToolArguments.required(arguments, NAME, "url"));
    Map<String, String> headers = headers(arguments);
    String body = ToolArguments.optional(arguments, NAME, "body").orElse(null);
    long deadline = System.nanoTime() + config.requestTimeout().toNanos();
    requirePublic(uri, null);
    for (int redirects = 0; ; redirects++) {
      HttpResponse<CappedBodySubscriber.Body> response = send(method, uri, headers, body, deadline);
      Optional<String> location = response.headers().firstValue("location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return render(response, uri);
      }
      if (redirects == MAX_REDIRECTS) {
        throw new ToolException("gave up after " + MAX_REDIRECTS + " redirects (the last one, from " + uri + ", pointed to '" + location.get() + "'); the URL may redirect in a loop");
      }
      URI next = redirectTarget(uri, location.get());
      requirePublic(next, uri);
      int status = response.statusCode();
      if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
        method = "GET"; // what browsers and the JDK client do
        body = null;
      }
      if (!sameOrigin(uri, next)) {
        headers = withoutCredentials(headers);
      }
      uri = next;
    }
  }

  /** Stops the HTTP client; calls in flight fail. */
  @Override
  public void close() {
    client.shutdownNow();
  }

  static String method(JsonNode arguments) {
    String method = ToolArguments.optional(arguments, NAME, "method").orElse("GET").strip().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new ToolException("method '" + method + "' is not supported; use one of " + String.join(", ", METHODS));
    }
    return method;
  }

  private static URI url(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new ToolException("'" + ToolArguments.abbreviate(text) + "' is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "); percent-encode spaces and special characters");
    }
    return checkedUrl(uri, text);
  }

  private static URI checkedUrl(URI uri, String text) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ToolException("URL '" + ToolArguments.abbreviate(text) + "' must start with http:// or https://" + (scheme.isEmpty() ? "" : ", not " + scheme + "://"));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ToolException("URL '" + ToolArguments.abbreviate(text) + "' has no host name this tool can read; give a full URL such as https://example.com/path");
    }
    return uri;
  }

  private static Map<String, String> headers(JsonNode arguments) {
    JsonNode node = arguments.get("headers");
    var headers = new LinkedHashMap<String, String>();
    if (node == null || node.isNull()) {
      return headers;
    }
    if (!node.isObject()) {
      throw new ToolException("http_request argument 'headers' must be an object of header names to string values, for example {\"Accept\":\"application/json\"}");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new ToolException("header '" + e.getKey() + "' must have a string value, not " + ToolArguments.abbreviate(e.getValue().toString()));
      }
      headers.put(e.getKey(), e.getValue().asText());
    }
    return headers;
  }

  private static Map<String, String> withoutCredentials(Map<String, String> headers) {
    var kept = new LinkedHashMap<String, String>();
    headers.forEach((name, value) -> {
      if (!CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        kept.put(name, value);
      }
    });
    return kept;
  }

  private static URI redirectTarget(URI from, String location) {
    try {
      return checkedUrl(from.resolve(new URI(location.strip())), location);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ToolException("the server at " + from + " redirected to '" + ToolArguments.abbreviate(location) + "', which is not a valid URL");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Refuses a host that resolves to a non-public address, unless it is allow-listed. */
  private void requirePublic(URI uri, URI redirectedFrom) {
    String host = uri.getHost();
    if (config.allows(host)) {
      return;
    }
    String what = redirectedFrom == null ? "URL host '" + host + "'" : "the server at " + redirectedFrom + " redirected to " + uri + ", but host '" + host + "'";
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new ToolException(what + " could not be resolved (no such host name); check the URL");
    }
    for (InetAddress address : addresses) {
      Optional<String> reason = NonPublicAddresses.reason(address);
      if (reason.isPresent()) {
        throw new ToolException(what + " resolves to " + address.getHostAddress() + ", " + reason.get()
            + "; http_request only reaches public addresses (an operator can allow this host in the http tool's allowed hosts)");
      }
    }
  }

  private HttpResponse<CappedBodySubscriber.Body> send(String method, URI uri, Map<String, String> headers, String body, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut(uri);
    }
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofNanos(remaining))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new ToolException("cannot send a request to '" + uri + "': " + e.getMessage());
    }
    headers.forEach((name, value) -> {
      try {
        request.header(name, value);
      } catch (IllegalArgumentException e) {
        throw new ToolException("header '" + name + "' cannot be set (" + e.getMessage() + "); the HTTP client sets Host, Content-Length, Connection, Expect and Upgrade itself");
      }
    });
    int cap = (int) config.maxResponseBytes();
    CompletableFuture<HttpResponse<CappedBodySubscriber.Body>> future =
        client.sendAsync(request.build(), info -> new CappedBodySubscriber(REDIRECTS.contains(info.statusCode()) ? 0 : cap));
    try {
      // The client's own timeout stops at the response headers; this one also covers the body.
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(uri);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ToolException("the request to " + uri + " was interrupted");
    } catch (ExecutionException e) {
      throw failed(uri, e.getCause());
    }
  }

  private ToolException timedOut(URI uri) {
    return new ToolException("the request to " + uri + " timed out: no complete response within the request timeout of "
        + seconds(config.requestTimeout()) + " (redirects and body included); the server may be slow, try again later or ask for less");
  }

  private ToolException failed(URI uri, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new ToolException("could not connect to " + uri.getHost() + " within the connect timeout of " + seconds(config.connectTimeout()) + "; the host may be down or unreachable");
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut(uri);
    }
    if (cause instanceof ConnectException) {
      return new ToolException("could not connect to " + uri.getHost() + ":" + port(uri) + " (" + describe(cause) + "); check the host and port");
    }
    if (cause instanceof IOException) {
      return new ToolException("the request to " + uri + " failed: " + describe(cause));
    }
    return new ToolException("the request to " + uri + " failed: " + describe(cause), cause);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null && t.getCause() != null && t.getCause() != t) {
      return describe(t.getCause());
    }
    return message == null ? t.getClass().getSimpleName() : message;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static String render(HttpResponse<CappedBodySubscriber.Body> response, URI uri) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("status", response.statusCode());
    out.put("url", uri.toString());
    ObjectNode headers = out.putObject("headers");
    for (String name : REPORTED_HEADERS) {
      response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
    }
    byte[] bytes = response.body().bytes();
    boolean truncated = response.body().truncated();
    if (Text.looksBinary(bytes, bytes.length)) {
      out.put("body", "[binary content: " + bytes.length + (truncated ? "+" : "") + " bytes, not shown]");
    } else {
      Charset charset = charset(response.headers().firstValue("content-type").orElse(""));
      out.put("body", charset.equals(StandardCharsets.UTF_8) && truncated ? Text.utf8Prefix(bytes, bytes.length) : new String(bytes, charset));
    }
    out.put("truncated", truncated);
    return Json.write(out);
  }

  private static Charset charset(String contentType) {
    Matcher m = CHARSET.matcher(contentType);
    if (m.find()) {
      try {
        return Charset.forName(m.group(1));
      } catch (IllegalArgumentException e) {
        return StandardCharsets.UTF_8;
      }
    }
    return StandardCharsets.UTF_8;
  }
}
