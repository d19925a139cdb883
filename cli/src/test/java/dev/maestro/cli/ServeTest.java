package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro serve} as a real process: it installs the example and pack agents, runs agents over
 * the API, and on SIGTERM stops leaving its unfinished runs to be resumed by the next start.
 */
class ServeTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dataDir;
  @TempDir Path work;
  private final List<Process> children = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer tools;
  private final AtomicInteger slowHits = new AtomicInteger();
  private final AtomicBoolean slow = new AtomicBoolean(true);

  @BeforeEach
  void startToolServer() throws IOException {
    tools = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tools.createContext("/slow", exchange -> {
      slowHits.incrementAndGet();
      long until = System.currentTimeMillis() + 60_000;
      while (slow.get() && System.currentTimeMillis() < until) {
        sleep(20);
      }
      byte[] body = "slow answer".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    tools.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    tools.start();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    slow.set(false);
    for (Process p : children) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    tools.stop(0);
  }

  @Test
  void serves_the_examples_and_resumes_runs_left_unfinished_by_a_graceful_stop() throws Exception {
    var first = serve();
    URI base = first.url();

    assertThat(first.output()).contains("admin token: created and saved in " + dataDir.resolve(AdminToken.FILE));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(AdminToken.FILE))))
        .isEqualTo("rw-------");
    String login = first.output().lines().filter(l -> l.contains("sign in: ")).findFirst().orElseThrow()
        .replaceAll(".*sign in: (\\S+).*", "$1");
    var noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    var signedIn = noRedirects.send(HttpRequest.newBuilder(URI.create(login)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    var home = noRedirects.send(HttpRequest.newBuilder(base.resolve("/maestro")).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(home.body()).contains("Signed in as <b>admin</b>");
    assertThat(noRedirects.send(HttpRequest.newBuilder(URI.create(login)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("a login link works once").isEqualTo(401);
    var anonymous = client.send(HttpRequest.newBuilder(base.resolve("/api/apa/agents")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);

    JsonNode health = get(base, "/health");
    assertThat(health.path("status").asText()).isEqualTo("up");
    assertThat(health.at("/database/description").asText()).contains("H2 file");
    assertThat(get(base, "/api/apa/agents").path("agents").findValuesAsText("id")).contains("incident-analyst", "shouter");

    String example = post(base, "/api/apa/runs", "{\"agent_id\":\"incident-analyst\",\"input\":\"Why did the deploy fail?\"}").path("id").asText();
    assertThat(await(base, example).path("output").asText()).contains("CREATE INDEX CONCURRENTLY");

    String url = "http://127.0.0.1:" + tools.getAddress().getPort() + "/slow";
    Files.writeString(work.resolve("slow.jsonl"), "{\"tool_calls\": [{\"name\": \"http_request\", \"arguments\": {\"url\": \"" + url + "\"}}]}\n"
        + "{\"text\": \"Final Answer: got the slow answer\"}\n");
    String spec = "{\"id\":\"waiter\",\"model\":\"replay:" + work.resolve("slow.jsonl") + "\",\"tools\":[\"http_request\"]}";
    assertThat(post(base, "/api/apa/agents", spec).path("spec").path("id").asText()).isEqualTo("waiter");
    String runId = post(base, "/api/apa/runs", "{\"agent_id\":\"waiter\",\"input\":\"wait for it\"}").path("id").asText();
    while (slowHits.get() == 0) {
      sleep(20);
    }

    first.process.destroy(); // SIGTERM: the graceful path
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.output()).as("exit " + first.process.exitValue()).contains("Stopped; 1 unfinished run(s) resume on the next start.");
    slow.set(false);

    var second = serve();
    URI again = second.url();
    assertThat(second.output()).contains("resumed runs: 1");
    JsonNode run = await(again, runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("got the slow answer");
    assertThat(slowHits.get()).as("the abandoned GET is repeated once, being idempotent").isEqualTo(2);
    assertThat(get(again, "/api/apa/agents").path("agents").findValuesAsText("id")).contains("waiter", "incident-analyst");
  }

  @Test
  void a_run_waiting_for_approval_survives_a_kill_and_completes_once_approved() throws Exception {
    String shop = "jdbc:h2:file:" + work.resolve("shop");
    try (var c = java.sql.DriverManager.getConnection(shop, "sa", ""); var st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(20))");
      st.execute("INSERT INTO orders VALUES (1, 'test'), (2, 'test'), (3, 'paid')");
    }
    Files.writeString(dataDir.resolve("config.yaml"), "datasources:\n  - {name: shop, url: \"" + shop + "\", user: sa, password: \"\", allow_writes: true}\n");
    Files.writeString(work.resolve("clean.jsonl"), """
        {"tool_calls": [{"name": "run_sql", "arguments": {"datasource": "shop", "query": "DELETE FROM orders WHERE status = 'test'"}}]}
        {"text": "Final Answer: deleted the test orders"}
        """);
    var first = serve();
    URI base = first.url();
    post(base, "/api/apa/agents", "{\"id\":\"cleaner\",\"model\":\"replay:" + work.resolve("clean.jsonl") + "\",\"tools\":[\"run_sql\"]}");
    String runId = post(base, "/api/apa/runs", "{\"agent_id\":\"cleaner\",\"input\":\"remove the test orders\"}").path("id").asText();
    JsonNode waiting = awaitStatus(base, runId, "waiting_approval");
    assertThat(waiting.path("status").asText()).isEqualTo("waiting_approval");
    JsonNode request = get(base, "/api/apa/hitl/pending").path("requests").get(0);
    assertThat(request.path("run_id").asText()).isEqualTo(runId);
    assertThat(request.path("tool").asText()).isEqualTo("run_sql");
    assertThat(request.path("risk").asText()).isEqualTo("high");
    assertThat(request.path("reason").asText()).contains("DELETE");
    // The decision reaches the audit trail right after the run's log (which readers see first): let it land, then kill.
    for (int i = 0; i < 200 && get(base, "/api/apa/audit?action=safety.").path("entries").isEmpty(); i++) {
      sleep(25);
    }

    first.process.destroyForcibly(); // SIGKILL: no goodbye
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(rows(shop)).as("nothing ran before approval").isEqualTo(3);

    var second = serve();
    URI again = second.url();
    assertThat(get(again, "/api/apa/runs/" + runId).path("status").asText()).isEqualTo("waiting_approval");
    JsonNode audit = get(again, "/api/apa/audit?action=safety.");
    assertThat(audit.path("entries").findValuesAsText("decision")).as("the safety decision reached the audit trail").contains("require_approval");
    String id = request.path("id").asText();
    JsonNode approved = post(again, "/api/apa/hitl/" + id + "/approve", "{\"comment\":\"test data only\"}");
    assertThat(approved.path("status").asText()).isEqualTo("approved");
    assertThat(approved.path("approved_by").get(0).asText()).as("recorded under the token's name").isEqualTo("admin");

    JsonNode run = await(again, runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("deleted the test orders");
    assertThat(rows(shop)).isEqualTo(1);
    var twice = client.send(HttpRequest.newBuilder(again.resolve("/api/apa/hitl/" + id + "/approve")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"bob\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(Json.tree(twice.body()).path("detail").asText()).contains("already approved");
  }

  private static long rows(String url) throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private JsonNode awaitStatus(URI base, String runId, String status) throws Exception {
    return awaitUntil(base, runId, status::equals);
  }

  /** The run once its status satisfies the condition, or as it is after a minute. */
  private JsonNode awaitUntil(URI base, String runId, java.util.function.Predicate<String> done) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      JsonNode run = get(base, "/api/apa/runs/" + runId);
      if (done.test(run.path("status").asText()) || System.currentTimeMillis() > deadline) {
        return run;
      }
      sleep(50);
    }
  }

  /** A serve process whose output goes to a file, read as it grows. */
  private record Server(Process process, Path log) {
    URI url() throws Exception {
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline) {
        List<String> lines = Files.readAllLines(log);
        if (lines.stream().anyMatch(l -> l.startsWith("Stop with Ctrl-C"))) { // the banner is complete
          String first = lines.stream().filter(l -> l.startsWith("Maestro is serving on ")).findFirst().orElseThrow();
          return URI.create(first.substring("Maestro is serving on ".length()).strip());
        }
        assertThat(process.isAlive()).as("serve exited: %s", Files.readString(log)).isTrue();
        sleep(50);
      }
      throw new AssertionError("serve printed no URL: " + Files.readString(log));
    }

    String output() throws IOException {
      return Files.readString(log);
    }
  }

  private Server serve() throws IOException {
    var command = Cli.javaCommand("serve", "--port", "0");
    Path log = Files.createTempFile(work, "serve", ".log");
    var pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("MAESTRO_DATA_DIR", dataDir.toString());
    pb.environment().put("MAESTRO_HOME", ROOT.toString());
    pb.environment().put("MAESTRO_HTTP_ALLOWED_HOSTS", "127.0.0.1");
    Process p = pb.start();
    children.add(p);
    return new Server(p, log);
  }

  private JsonNode await(URI base, String runId) throws Exception {
    return awaitUntil(base, runId, status -> status.equals("completed") || status.equals("failed"));
  }

  /** The admin token the first serve saved in the data directory, as the command line finds it. */
  private String token() throws IOException {
    return Files.readString(dataDir.resolve(AdminToken.FILE)).strip();
  }

  private JsonNode get(URI base, String path) throws Exception {
    return Json.tree(client.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token()).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private JsonNode post(URI base, String path, String json) throws Exception {
    var response = client.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return Json.tree(response.body());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
