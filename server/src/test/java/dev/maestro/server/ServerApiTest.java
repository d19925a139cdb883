package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every REST endpoint against a real server and HTTP client: success and error paths. */
class ServerApiTest {
  static final String AGENT = "{\"id\":\"reader\",\"model\":\"replay:x\",\"instructions\":\"Read the note.\",\"tools\":[\"read_file\"]}";
  static final List<Turn> TURNS = List.of(
      new Turn("Let me read it.", List.of(new dev.maestro.engine.model.ReplayChatModel.Call("c1", "read_file", Json.tree("{\"path\":\"note.txt\"}"))),
          120, 20, 0, 0),
      new Turn("Thought: done\nFinal Answer: the note says hello", null, 150, 12, 0, 0));

  @TempDir Path workdir;
  TestServer t;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(workdir.resolve("note.txt"), "hello");
    t = new TestServer(TURNS, workdir);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private String createAgentAndRun() {
    assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);
    var started = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"what does the note say?\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().path("id").asText();
  }

  @Test
  void starts_a_run_and_shows_it_with_its_trace() throws Exception {
    String runId = createAgentAndRun();

    JsonNode run = t.awaitRun(runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("the note says hello");
    assertThat(run.path("input_tokens").asLong()).isEqualTo(270);

    JsonNode traces = t.get("/api/apa/runs/" + runId + "/traces").json();
    assertThat(traces.path("traces").findValuesAsText("kind")).containsExactly("thought", "action", "observation", "thought", "answer");
    assertThat(traces.at("/traces/2/content").asText()).contains("hello");
    assertThat(traces.at("/traces/0/tokens").asLong()).isEqualTo(140);
    assertThat(t.get("/api/apa/reasoning/traces/" + runId).json().path("traces")).isEqualTo(traces.path("traces"));
  }

  @Test
  void lists_runs_with_filters_and_pages() throws Exception {
    String first = createAgentAndRun();
    t.awaitRun(first);
    String second = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"again\"}").json().path("id").asText();
    t.awaitRun(second);

    JsonNode page = t.get("/api/apa/runs?agent_id=reader&limit=1").json();
    assertThat(page.path("runs").findValuesAsText("id")).containsExactly(second);
    assertThat(page.path("next_offset").asInt()).isEqualTo(1);
    JsonNode next = t.get("/api/apa/runs?agent_id=reader&limit=1&offset=1").json();
    assertThat(next.path("runs").findValuesAsText("id")).containsExactly(first);
    assertThat(t.get("/api/apa/runs?status=failed").json().path("runs")).isEmpty();
    assertThat(t.get("/api/apa/runs?agent_id=nobody").json().path("runs")).isEmpty();
    assertThat(t.get("/api/apa/runs?created_after=2999-01-01T00:00:00Z").json().path("runs")).isEmpty();
    assertThat(t.get("/api/apa/runs?created_after=2000-01-01T00:00:00Z").json().path("runs")).hasSize(2);
    assertThat(t.get("/api/apa/runs?created_before=2000-01-01T00:00:00Z").json().path("runs")).isEmpty();
    assertThat(t.get("/api/apa/runs?created_after=2000-01-01T00:00:00Z&created_before=2999-01-01T00:00:00Z").json().path("runs")).hasSize(2);
    ServerApiTest.assertProblem(t.get("/api/apa/runs?created_after=2999-01-01T00:00:00Z&created_before=2000-01-01T00:00:00Z"), 400,
        "no run can match");
  }

  @Test
  void bad_requests_get_problem_documents_that_name_the_mistake() {
    assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);

    assertProblem(t.post("/api/apa/runs", "{\"agent_id\": \"reader\", "), 400, "not valid JSON");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\"}"), 400, "field 'input' is required");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\",\"temperature\":1}"), 400, "unknown field 'temperature'");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":42}"), 400, "field 'input' must be a string");
    assertProblem(t.post("/api/apa/runs", "[1,2]"), 400, "must be a JSON object");
    assertProblem(t.post("/api/apa/runs", ""), 400, "request body is empty");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"ghost\",\"input\":\"x\"}"), 404, "no agent 'ghost'");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\",\"model\":\"gpt4\"}"), 400, "'gpt4'");
    assertProblem(t.get("/api/apa/runs/run_nope"), 404, "no run 'run_nope'");
    assertProblem(t.get("/api/apa/runs?status=sleeping"), 400, "run status 'sleeping'");
    assertProblem(t.get("/api/apa/runs?limit=many"), 400, "'limit' must be a whole number");
    assertProblem(t.get("/api/apa/runs?limit=5000"), 400, "limit is 5000");
    assertProblem(t.get("/api/apa/runs?created_after=yesterday"), 400, "ISO-8601");
    assertProblem(t.get("/api/apa/nothing/here"), 404, "no endpoint GET /api/apa/nothing/here");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"), 413, "");
  }

  @Test
  void cancelling_a_finished_run_is_a_conflict() throws Exception {
    String runId = createAgentAndRun();
    t.awaitRun(runId);

    assertProblem(t.post("/api/apa/runs/" + runId + "/cancel", null), 409, "already completed");
    assertProblem(t.post("/api/apa/runs/" + runId + "/resume", null), 409, "already completed");
    assertProblem(t.post("/api/apa/runs/run_nope/cancel", null), 404, "no run");
  }

  @Test
  void agents_have_a_lifecycle_over_the_api() {
    var created = t.post("/api/apa/agents", AGENT);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("status").asText()).isEqualTo("created");
    assertProblem(t.post("/api/apa/agents", AGENT), 409, "already exists");
    assertProblem(t.post("/api/apa/agents", "{\"id\":\"Bad Id\",\"model\":\"openai:x\"}"), 400, "agent id 'Bad Id' is not valid");
    assertProblem(t.post("/api/apa/agents", "{\"id\":\"a\",\"model\":\"openai:x\",\"temperature\":2}"), 400, "temperature");

    assertThat(t.get("/api/apa/agents").json().path("agents").findValuesAsText("id")).contains("reader");
    var replaced = t.put("/api/apa/agents/reader", AGENT.replace("Read the note.", "Read it twice."));
    assertThat(replaced.json().at("/spec/instructions").asText()).isEqualTo("Read it twice.");
    assertProblem(t.put("/api/apa/agents/reader", AGENT.replace("\"reader\"", "\"other\"")), 400, "cannot change");
    assertProblem(t.put("/api/apa/agents/ghost", AGENT.replace("\"reader\"", "\"ghost\"")), 404, "no agent 'ghost'");

    assertThat(t.post("/api/apa/agents/reader/pause", null).json().path("status").asText()).isEqualTo("paused");
    assertProblem(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\"}"), 409, "paused");
    assertThat(t.post("/api/apa/agents/reader/enable", null).json().path("status").asText()).isEqualTo("enabled");
    assertThat(t.get("/api/apa/agents/reader").json().path("status").asText()).isEqualTo("enabled");

    assertThat(t.delete("/api/apa/agents/reader").json().path("status").asText()).isEqualTo("deleted");
    assertProblem(t.get("/api/apa/agents/reader"), 404, "no agent 'reader'");
    assertThat(t.get("/api/apa/agents").json().path("agents")).isEmpty();
  }

  @Test
  void lists_executes_and_registers_tools() throws Exception {
    JsonNode tools = t.get("/api/apa/tools").json().path("tools");
    assertThat(tools.findValuesAsText("name")).contains("read_file", "http_request", "run_sql");

    var read = t.post("/api/apa/tools/read_file/execute", "{\"arguments\":{\"path\":\"note.txt\"}}").json();
    assertThat(read.path("ok").asBoolean()).isTrue();
    assertThat(read.path("output").asText()).contains("hello");
    var escape = t.post("/api/apa/tools/read_file/execute", "{\"arguments\":{\"path\":\"../../etc/passwd\"}}").json();
    assertThat(escape.path("ok").asBoolean()).isFalse();
    assertThat(escape.path("error").asText()).contains("..");
    assertProblem(t.post("/api/apa/tools/teleport/execute", "{}"), 404, "no tool 'teleport'");
    assertProblem(t.post("/api/apa/tools/read_file/execute", "{\"arguments\":[1]}"), 400, "'arguments' must be a JSON object");

    // A tool service on loopback (allowed in this test's HTTP configuration).
    var received = new ArrayList<String>();
    var service = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext("/lookup", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] reply = "{\"owner\":\"team-payments\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    });
    service.start();
    try {
      String url = "http://127.0.0.1:" + service.getAddress().getPort() + "/lookup";
      var registered = t.post("/api/apa/tools/register", "{\"name\":\"owner_lookup\",\"description\":\"Finds a service's owner.\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"service\":{\"type\":\"string\"}}},\"url\":\"" + url + "\"}");
      assertThat(registered.status()).as(registered.body()).isEqualTo(201);
      assertThat(registered.json().path("source").asText()).isEqualTo("registered");
      assertThat(t.httpTools.list()).extracting(d -> d.url()).containsExactly(url);
      assertProblem(t.post("/api/apa/tools/register", "{\"name\":\"owner_lookup\",\"description\":\"again\",\"url\":\"" + url + "\"}"), 409,
          "already registered");
      assertProblem(t.post("/api/apa/tools/register", "{\"name\":\"x\",\"description\":\"d\",\"url\":\"ftp://files\"}"), 400, "http(s)");
      assertProblem(t.post("/api/apa/tools/register", "{\"name\":\"bad name!\",\"description\":\"d\",\"url\":\"" + url + "\"}"), 400,
          "tool name 'bad name!' is not valid");

      var called = t.post("/api/apa/tools/owner_lookup/execute", "{\"arguments\":{\"service\":\"checkout\"}}").json();
      assertThat(called.path("output").asText()).isEqualTo("{\"owner\":\"team-payments\"}");
      assertThat(received).containsExactly("{\"service\":\"checkout\"}");
    } finally {
      service.stop(0);
    }
  }

  @Test
  void a_registered_tool_on_a_private_address_is_refused_when_not_allowed() {
    var registered = t.post("/api/apa/tools/register", "{\"name\":\"internal\",\"description\":\"Internal.\",\"url\":\"http://10.1.2.3/x\"}");
    assertThat(registered.status()).isEqualTo(201);

    var called = t.post("/api/apa/tools/internal/execute", "{\"arguments\":{}}").json();

    assertThat(called.path("ok").asBoolean()).isFalse();
    assertThat(called.path("error").asText()).contains("10.1.2.3").contains("private");
  }

  @Test
  void reasons_one_step_without_executing_or_storing_anything() {
    assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);

    var step = t.post("/api/apa/reasoning/reason", "{\"agent_id\":\"reader\",\"input\":\"what does the note say?\"}");

    assertThat(step.status()).as(step.body()).isEqualTo(200);
    assertThat(step.json().path("thought").asText()).isEqualTo("Let me read it.");
    assertThat(step.json().at("/actions/0/tool").asText()).isEqualTo("read_file");
    assertThat(step.json().at("/actions/0/arguments/path").asText()).isEqualTo("note.txt");
    assertThat(step.json().path("input_tokens").asLong()).isEqualTo(120);
    assertThat(t.get("/api/apa/runs").json().path("runs")).isEmpty();
    assertProblem(t.post("/api/apa/reasoning/reason", "{\"agent_id\":\"reader\",\"input\":\"x\",\"history\":[{\"role\":\"system\",\"content\":\"x\"}]}"),
        400, "role 'system'");
    assertProblem(t.post("/api/apa/reasoning/reason", "{\"agent_id\":\"reader\"}"), 400, "'input' is required");
  }

  @Test
  void health_metrics_and_openapi_describe_the_server() throws Exception {
    var health = t.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().at("/database/status").asText()).isEqualTo("up");
    assertThat(health.json().at("/models/configured").asBoolean()).isFalse();

    t.awaitRun(createAgentAndRun());
    String metrics = t.get("/metrics").body();
    assertThat(metrics).contains("maestro_runs_total{status=\"completed\"} 1.0")
        .contains("maestro_tool_calls_total{outcome=\"completed\",tool=\"read_file\"} 1.0")
        .contains("maestro_tokens_total{kind=\"input\",model=\"replay:x\"} 270.0")
        .contains("maestro_model_latency_seconds_count")
        .contains("maestro_step_latency_seconds_count");

    JsonNode openapi = t.get("/api/openapi.json").json();
    assertThat(openapi.path("openapi").asText()).isEqualTo("3.1.0");
    Set<String> documented = new TreeSet<>();
    openapi.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    assertThat(documented).contains("POST /api/apa/runs", "GET /api/apa/runs", "GET /api/apa/runs/{id}", "GET /api/apa/runs/{id}/traces",
        "POST /api/apa/runs/{id}/cancel", "POST /api/apa/reasoning/reason", "GET /api/apa/reasoning/traces/{run_id}", "GET /api/apa/tools",
        "POST /api/apa/tools/{name}/execute", "POST /api/apa/tools/register", "GET /api/apa/agents", "POST /api/apa/agents",
        "GET /api/apa/agents/{id}", "PUT /api/apa/agents/{id}", "DELETE /api/apa/agents/{id}", "POST /api/apa/agents/{id}/pause",
        "POST /api/apa/agents/{id}/enable", "GET /api/apa/runs/{id}/events", "GET /api/apa/events", "GET /health", "GET /metrics");
    // every schema referenced is defined
    List<String> refs = openapi.findValuesAsText("$ref");
    for (String ref : refs) {
      assertThat(openapi.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  static void assertProblem(TestServer.Response r, int status, String detail) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode doc = r.json();
    assertThat(doc.path("status").asInt()).isEqualTo(status);
    assertThat(doc.path("title").asText()).isNotBlank();
    assertThat(doc.path("detail").asText()).contains(detail);
  }
}
