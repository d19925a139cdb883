package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code maestro run} process with SIGKILL while a tool call is in flight, after two
 * tool calls completed, then resumes the run in another process and checks that it completes with
 * no completed call executed twice and a gapless log.
 */
class CrashResumeTest {
  @TempDir Path dataDir;
  @TempDir Path work;

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicBoolean slow = new AtomicBoolean(true);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.equals("/slow")) {
        long until = System.currentTimeMillis() + 60_000;
        while (slow.get() && System.currentTimeMillis() < until) {
          sleep(20);
        }
      }
      byte[] body = ("ok " + path).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stopServer() {
    slow.set(false);
    server.stop(0);
  }

  @Test
  void resumes_after_sigkill_without_repeating_completed_calls_or_a_non_idempotent_interrupted_one() throws Exception {
    JsonNode log = crashThenResume("POST");

    assertThat(hits.get("/a").get()).isEqualTo(1);
    assertThat(hits.get("/b").get()).isEqualTo(1);
    assertThat(hits.get("/slow").get()).as("a POST interrupted by the crash is not repeated").isEqualTo(1);
    var unknown = events(log, "tool_call_failed");
    assertThat(unknown).singleElement().satisfies(e -> {
      assertThat(e.at("/event/outcome_unknown").asBoolean()).isTrue();
      assertThat(e.at("/event/error").asText()).contains("outcome of this call is unknown");
    });
  }

  @Test
  void resumes_after_sigkill_and_repeats_an_interrupted_idempotent_call() throws Exception {
    JsonNode log = crashThenResume("GET");

    assertThat(hits.get("/a").get()).isEqualTo(1);
    assertThat(hits.get("/b").get()).isEqualTo(1);
    assertThat(hits.get("/slow").get()).as("an interrupted GET is safe to repeat").isEqualTo(2);
    assertThat(events(log, "tool_call_completed")).hasSize(3);
  }

  private JsonNode crashThenResume(String slowMethod) throws Exception {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Files.writeString(work.resolve("t.jsonl"), String.join("\n",
        call(base + "/a", "GET"), call(base + "/b", "GET"), call(base + "/slow", slowMethod),
        "{\"text\": \"Final Answer: all three calls are done\"}") + "\n");
    Path agent = Files.writeString(work.resolve("agent.yaml"), "id: crasher\nmodel: replay:t.jsonl\ntools: [http_request]\n");

    var command = Cli.javaCommand("run", agent.toString(), "call the three endpoints");
    var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile());
    pb.environment().put("MAESTRO_DATA_DIR", dataDir.toString());
    pb.environment().put("MAESTRO_HTTP_ALLOWED_HOSTS", "127.0.0.1");
    Process child = pb.start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!hits.containsKey("/slow")) {
      assertThat(child.isAlive()).as("child exited early: " + Files.readString(work.resolve("child.log"))).isTrue();
      assertThat(System.currentTimeMillis()).as("child never reached the slow call").isLessThan(deadline);
      sleep(20);
    }
    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no cleanup
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    slow.set(false);

    var cli = new Cli(dataDir);
    cli.env.put("MAESTRO_HTTP_ALLOWED_HOSTS", "127.0.0.1");
    JsonNode runs = Json.tree(cli.run("runs", "list", "--json").out());
    assertThat(runs).hasSize(1);
    String runId = runs.get(0).get("id").asText();
    assertThat(runs.get(0).get("status").asText()).isEqualTo("running");

    var resumed = cli.run("runs", "resume", runId);
    assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed at event").contains("all three calls are done");

    JsonNode doc = Json.tree(cli.run("runs", "show", runId, "--json").out());
    assertThat(doc.at("/run/status").asText()).isEqualTo("completed");
    JsonNode events = doc.get("events");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("seq").asLong()).as("gapless sequence").isEqualTo(i + 1);
    }
    assertThat(events(doc, "run_started")).extracting(e -> e.at("/event/resumed").asBoolean()).containsExactly(false, true);
    return doc;
  }

  private static List<JsonNode> events(JsonNode doc, String type) {
    var found = new ArrayList<JsonNode>();
    doc.get("events").forEach(e -> {
      if (e.at("/event/type").asText().equals(type)) {
        found.add(e);
      }
    });
    return found;
  }

  private static String call(String url, String method) {
    return "{\"tool_calls\": [{\"name\": \"http_request\", \"arguments\": {\"method\": \"" + method + "\", \"url\": \"" + url + "\"}}]}";
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
