package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestToolTest {
  static final ToolContext CONTEXT = new ToolContext("run-1", "agent-1", Path.of("."));

  HttpServer server;
  HttpServer otherOrigin;
  String base;
  final CountDownLatch release = new CountDownLatch(1);
  HttpRequestTool tool;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    otherOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otherOrigin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    String other = "http://127.0.0.1:" + otherOrigin.getAddress().getPort();

    server.createContext("/hello", ex -> respond(ex, 200, "text/plain; charset=utf-8", "hello, wörld"));
    server.createContext("/echo", HttpRequestToolTest::echo);
    otherOrigin.createContext("/echo", HttpRequestToolTest::echo);
    server.createContext("/to-hello", ex -> redirect(ex, 302, "/hello"));
    server.createContext("/to-private", ex -> redirect(ex, 302, "http://10.0.0.1/secret"));
    server.createContext("/to-metadata", ex -> redirect(ex, 307, "http://169.254.169.254/latest/meta-data/"));
    server.createContext("/see-other", ex -> redirect(ex, 303, "/echo"));
    server.createContext("/to-other-origin", ex -> redirect(ex, 307, other + "/echo"));
    server.createContext("/to-same-origin", ex -> redirect(ex, 307, "/echo"));
    server.createContext("/loop", ex -> redirect(ex, 302, "/loop"));
    server.createContext("/big", HttpRequestToolTest::endless);
    server.createContext("/binary", ex -> respondBytes(ex, 200, "application/octet-stream", new byte[] {1, 0, 2, 0, 3}));
    server.createContext("/slow", ex -> {
      await();
      respond(ex, 200, "text/plain", "finally");
    });
    server.createContext("/stalls-mid-body", ex -> {
      ex.sendResponseHeaders(200, 1000);
      ex.getResponseBody().write("the first part".getBytes(StandardCharsets.UTF_8));
      ex.getResponseBody().flush();
      await();
      ex.close();
    });
    server.start();
    otherOrigin.start();
    tool = new HttpRequestTool(HttpToolConfig.allowing("127.0.0.1"));
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    tool.close();
    server.stop(0);
    otherOrigin.stop(0);
  }

  private void await() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void echo(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String reply = ex.getRequestMethod() + "|" + ex.getRequestHeaders().getFirst("Content-Type") + "|"
        + ex.getRequestHeaders().getFirst("Authorization") + "|" + ex.getRequestHeaders().getFirst("X-Trace") + "|" + body;
    respond(ex, 200, "text/plain", reply);
  }

  private static void redirect(HttpExchange ex, int status, String location) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  /** Ten MiB of 'x', far more than any cap in these tests. */
  private static void endless(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = ex.getResponseBody()) {
      for (int i = 0; i < 1280; i++) {
        out.write(chunk);
      }
    } catch (IOException expected) {
      // the client stopped reading at its cap
    }
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    respondBytes(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respondBytes(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", contentType);
    ex.getResponseHeaders().add("X-Internal", "not reported");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static ObjectNode args(String method, String url) {
    ObjectNode args = Json.MAPPER.createObjectNode().put("url", url);
    if (method != null) {
      args.put("method", method);
    }
    return args;
  }

  private JsonNode call(HttpRequestTool t, JsonNode args) {
    return Json.tree(t.call(args, CONTEXT));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1/", "http://localhost:8080/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/", "http://192.168.1.1/", "http://172.20.0.5/", "http://100.64.0.1/", "http://0.0.0.0/",
      "http://[::ffff:127.0.0.1]/", "http://[fd12::1]/", "http://[fe80::1]/", "https://224.0.0.1/"})
  void refuses_non_public_addresses_that_are_not_allow_listed(String url) {
    try (var strict = new HttpRequestTool()) {
      assertThatThrownBy(() -> strict.call(args("GET", url), CONTEXT))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("only reaches public addresses");
    }
  }

  @Test
  void the_refusal_says_which_address_and_why() {
    try (var strict = new HttpRequestTool()) {
      assertThatThrownBy(() -> strict.call(args("GET", "http://169.254.169.254/latest/meta-data/"), CONTEXT))
          .hasMessageContaining("resolves to 169.254.169.254, a link-local address")
          .hasMessageContaining("cloud metadata");
    }
  }

  @Test
  void get_returns_status_headers_and_body_as_json() {
    JsonNode out = call(tool, args(null, base + "/hello"));

    assertThat(out.get("status").asInt()).isEqualTo(200);
    assertThat(out.get("body").asText()).isEqualTo("hello, wörld");
    assertThat(out.get("truncated").asBoolean()).isFalse();
    assertThat(out.get("headers").get("content-type").asText()).isEqualTo("text/plain; charset=utf-8");
    assertThat(out.get("headers").has("x-internal")).isFalse();
  }

  @Test
  void an_allow_listed_host_matches_without_regard_to_case() {
    try (var t = new HttpRequestTool(HttpToolConfig.allowing("LocalHost"))) {
      JsonNode out = call(t, args("GET", "http://localhost:" + server.getAddress().getPort() + "/hello"));

      assertThat(out.get("body").asText()).isEqualTo("hello, wörld");
    }
  }

  @Test
  void post_sends_the_body_and_headers() {
    ObjectNode args = args("post", base + "/echo").put("body", "{\"a\":1}");
    args.putObject("headers").put("Content-Type", "application/json").put("X-Trace", "t-1");

    JsonNode out = call(tool, args);

    assertThat(out.get("body").asText()).isEqualTo("POST|application/json|null|t-1|{\"a\":1}");
  }

  @Test
  void put_and_delete_are_sent_with_their_method() {
    assertThat(call(tool, args("PUT", base + "/echo").put("body", "v")).get("body").asText()).startsWith("PUT|").endsWith("|v");
    assertThat(call(tool, args("DELETE", base + "/echo")).get("body").asText()).startsWith("DELETE|");
  }

  @Test
  void follows_a_redirect_and_reports_the_final_url() {
    JsonNode out = call(tool, args("GET", base + "/to-hello"));

    assertThat(out.get("status").asInt()).isEqualTo(200);
    assertThat(out.get("url").asText()).isEqualTo(base + "/hello");
    assertThat(out.get("body").asText()).isEqualTo("hello, wörld");
  }

  @Test
  void see_other_after_a_post_is_followed_with_a_get_without_the_body() {
    JsonNode out = call(tool, args("POST", base + "/see-other").put("body", "payload"));

    assertThat(out.get("body").asText()).isEqualTo("GET|null|null|null|");
  }

  @Test
  void a_redirect_to_a_private_host_that_is_not_allow_listed_is_refused() {
    assertThatThrownBy(() -> tool.call(args("GET", base + "/to-private"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("redirected to http://10.0.0.1/secret")
        .hasMessageContaining("a private address");
    assertThatThrownBy(() -> tool.call(args("GET", base + "/to-metadata"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("169.254.169.254");
  }

  @Test
  void credentials_are_not_forwarded_to_another_origin_on_redirect() {
    ObjectNode cross = args("GET", base + "/to-other-origin");
    cross.putObject("headers").put("Authorization", "Bearer secret").put("X-Trace", "t-2");
    ObjectNode same = args("GET", base + "/to-same-origin");
    same.putObject("headers").put("Authorization", "Bearer secret");

    assertThat(call(tool, cross).get("body").asText()).isEqualTo("GET|null|null|t-2|");
    assertThat(call(tool, same).get("body").asText()).isEqualTo("GET|null|Bearer secret|null|");
  }

  @Test
  void gives_up_after_five_redirects() {
    assertThatThrownBy(() -> tool.call(args("GET", base + "/loop"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("gave up after 5 redirects");
  }

  @Test
  void a_response_over_the_cap_is_truncated() {
    try (var capped = new HttpRequestTool(new HttpToolConfig(Set.of("127.0.0.1"), null, null, 1000))) {
      JsonNode out = call(capped, args("GET", base + "/big"));

      assertThat(out.get("body").asText()).hasSize(1000).matches("x+");
      assertThat(out.get("truncated").asBoolean()).isTrue();
    }
  }

  @Test
  void binary_content_is_described_not_returned() {
    JsonNode out = call(tool, args("GET", base + "/binary"));

    assertThat(out.get("body").asText()).isEqualTo("[binary content: 5 bytes, not shown]");
  }

  @Test
  void a_slow_server_hits_the_request_timeout() {
    try (var impatient = new HttpRequestTool(new HttpToolConfig(Set.of("127.0.0.1"), null, Duration.ofMillis(300), 0))) {
      assertThatThrownBy(() -> impatient.call(args("GET", base + "/slow"), CONTEXT))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("timed out")
          .hasMessageContaining("request timeout of 300ms");
    }
  }

  @Test
  void a_server_that_stalls_mid_body_hits_the_request_timeout() {
    try (var impatient = new HttpRequestTool(new HttpToolConfig(Set.of("127.0.0.1"), null, Duration.ofMillis(300), 0))) {
      assertThatThrownBy(() -> impatient.call(args("GET", base + "/stalls-mid-body"), CONTEXT))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("request timeout of 300ms");
    }
  }

  @Test
  void a_closed_port_is_reported_as_a_connection_failure() throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    int closed = port;
    assertThatThrownBy(() -> tool.call(args("GET", "http://127.0.0.1:" + closed + "/"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("could not connect to 127.0.0.1:" + closed);
  }

  @Test
  void an_unsupported_method_is_refused_listing_the_supported_ones() {
    assertThatThrownBy(() -> tool.call(args("PATCH", base + "/echo"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessage("method 'PATCH' is not supported; use one of GET, POST, PUT, DELETE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/file", "file:///etc/passwd", "example.com/path", "http://exa mple.com/"})
  void a_url_that_is_not_http_or_https_is_refused(String url) {
    assertThatThrownBy(() -> tool.call(args("GET", url), CONTEXT)).isInstanceOf(ToolException.class).hasMessageContaining("URL");
  }

  @Test
  void a_header_the_client_controls_is_refused_by_name() {
    ObjectNode args = args("GET", base + "/hello");
    args.putObject("headers").put("Host", "evil.example");

    assertThatThrownBy(() -> tool.call(args, CONTEXT)).isInstanceOf(ToolException.class).hasMessageContaining("header 'Host' cannot be set");
  }

  @Test
  void get_put_and_delete_are_idempotent_and_post_is_not() {
    assertThat(tool.idempotent(args("GET", base))).isTrue();
    assertThat(tool.idempotent(args(null, base))).isTrue();
    assertThat(tool.idempotent(args("PUT", base))).isTrue();
    assertThat(tool.idempotent(args("DELETE", base))).isTrue();
    assertThat(tool.idempotent(args("POST", base))).isFalse();
    assertThat(tool.idempotent(args("PATCH", base))).isFalse();
    assertThat(tool.spec().idempotent()).isFalse();
  }
}
