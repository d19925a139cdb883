package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory, knowledge and learning endpoints against a real server, real memory and a real Lucene index. */
class MemoryKnowledgeApiTest {
  @TempDir Path workdir;
  TestServer t;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(workdir.resolve("note.txt"), "hello");
    Files.createDirectories(workdir.resolve("docs"));
    Files.writeString(workdir.resolve("docs/runbook.md"), "# Runbook\n\n## Restarts\n\nRestart the ingest worker with systemctl restart ingest.");
    t = new TestServer(ServerApiTest.TURNS, workdir);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void remembers_lists_searches_and_deletes_memories() {
    var created = t.post("/api/apa/memory", "{\"agent_id\":\"reader\",\"content\":\"The VPN gateway is vpn.example.com\",\"importance\":0.8,"
        + "\"metadata\":{\"source\":\"ops\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(created.json().path("type").asText()).isEqualTo("semantic");
    assertThat(t.post("/api/apa/memory", "{\"agent_id\":\"reader\",\"type\":\"procedural\",\"content\":\"Read the note before answering.\"}").status())
        .isEqualTo(201);

    JsonNode page = t.get("/api/apa/memory/reader?type=semantic").json();
    assertThat(page.path("memories").findValuesAsText("id")).containsExactly(id);
    assertThat(t.get("/api/apa/memory/reader?limit=1").json().path("next_offset").asInt()).isEqualTo(1);

    JsonNode found = t.post("/api/apa/memory/search", "{\"agent_id\":\"reader\",\"query\":\"vpn gateway\",\"limit\":1}").json();
    assertThat(found.path("memories").findValuesAsText("content")).containsExactly("The VPN gateway is vpn.example.com");
    assertThat(found.at("/memories/0/score").asDouble()).isPositive();

    ServerApiTest.assertProblem(t.post("/api/apa/memory/search", "{\"agent_id\":\"reader\",\"query\":\"\"}"), 400,
        "field 'query' is required and must be a non-empty string");
    ServerApiTest.assertProblem(t.post("/api/apa/memory", "{\"agent_id\":\"reader\",\"content\":\"x\",\"importance\":3}"), 400,
        "importance 3.0 is out of range; give a number from 0 (trivial) to 1 (crucial)");
    ServerApiTest.assertProblem(t.post("/api/apa/memory", "{\"agent_id\":\"reader\",\"content\":\"x\",\"type\":\"dream\"}"), 400,
        "memory type 'dream' is not known; use episodic, semantic or procedural");

    assertThat(t.delete("/api/apa/memory/" + id).status()).isEqualTo(200);
    assertThat(t.delete("/api/apa/memory/" + id).status()).isEqualTo(404);
  }

  @Test
  void creates_ingests_searches_and_deletes_collections() {
    assertThat(t.post("/api/apa/knowledge/collections", "{\"name\":\"ops\",\"description\":\"Runbooks\"}").status()).isEqualTo(201);
    assertThat(t.post("/api/apa/knowledge/collections", "{\"name\":\"ops\"}").status()).isEqualTo(409);

    var report = t.post("/api/apa/knowledge/collections/ops/ingest", "{\"sources\":[\"docs\"]}");
    assertThat(report.status()).as(report.body()).isEqualTo(200);
    assertThat(report.json().path("added").asInt()).isEqualTo(1);
    ServerApiTest.assertProblem(t.post("/api/apa/knowledge/collections/ops/ingest", "{\"sources\":[\"../..\"]}"), 400,
        "'../..' is outside the server's working directory " + workdir + "; the API ingests only files under it (MAESTRO_WORKDIR)");

    JsonNode passages = t.post("/api/apa/knowledge/search", "{\"collection\":\"ops\",\"query\":\"restart the ingest worker\"}").json().path("passages");
    assertThat(passages.at("/0/citation/document").asText()).isEqualTo(workdir.resolve("docs/runbook.md").toString());
    assertThat(passages.at("/0/citation/location").asText()).isEqualTo("Runbook > Restarts (lines 3-5)");

    ServerApiTest.assertProblem(t.post("/api/apa/knowledge/search", "{\"collection\":\"ops\",\"query\":\"  \"}"), 400,
        "field 'query' is required and must be a non-empty string");
    assertThat(t.post("/api/apa/knowledge/search", "{\"collection\":\"nope\",\"query\":\"x\"}").status()).isEqualTo(404);
    assertThat(t.get("/api/apa/knowledge/collections").json().path("collections").findValuesAsText("name")).containsExactly("ops");
    assertThat(t.get("/api/apa/knowledge/collections/ops").json().path("chunks").asInt()).isEqualTo(1);
    assertThat(t.delete("/api/apa/knowledge/collections/ops").status()).isEqualTo(200);
    assertThat(t.get("/api/apa/knowledge/collections/ops").status()).isEqualTo(404);
  }

  @Test
  void ingests_in_the_background_when_asked_and_reports_progress_until_done() throws Exception {
    assertThat(t.post("/api/apa/knowledge/collections", "{\"name\":\"ops\"}").status()).isEqualTo(201);
    for (int i = 0; i < 20; i++) {
      Files.writeString(workdir.resolve("docs/page-" + i + ".md"), "# Page " + i + "\n\nService " + i + " restarts with systemctl.");
    }

    var accepted = t.post("/api/apa/knowledge/collections/ops/ingest", "{\"sources\":[\"docs\"]}", "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.header("Preference-Applied")).isEqualTo("respond-async");
    String location = accepted.header("Location");
    assertThat(location).isEqualTo("/api/apa/knowledge/ingestions/" + accepted.json().path("id").asText());
    assertThat(accepted.json().path("collection").asText()).isEqualTo("ops");

    JsonNode job = accepted.json();
    for (int i = 0; i < 500 && job.path("status").asText().equals("running"); i++) {
      Thread.sleep(10);
      job = t.get(location).json();
    }
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("completed");
    assertThat(job.path("documents").asInt()).isEqualTo(21);
    assertThat(job.path("done").asInt()).isEqualTo(21);
    assertThat(job.at("/report/added").asInt()).isEqualTo(21);
    assertThat(job.path("ended_at").asText()).isNotEmpty();
    assertThat(t.get("/api/apa/knowledge/collections/ops").json().path("documents").asInt()).isEqualTo(21);
    assertThat(t.get("/api/apa/knowledge/ingestions").json().path("ingestions").findValuesAsText("id")).containsExactly(job.path("id").asText());

    // An unknown collection is refused at once; another workspace does not see this one's ingestions.
    assertThat(t.post("/api/apa/knowledge/collections/nope/ingest", "{\"sources\":[\"docs\"]}", "Prefer", "respond-async").status())
        .isEqualTo(404);
    t.token = t.token("other", Role.ADMIN);
    assertThat(t.get(location).status()).isEqualTo(404);
    assertThat(t.get("/api/apa/knowledge/ingestions").json().path("ingestions")).isEmpty();
  }

  @Test
  void feedback_lessons_become_memories_and_insights() throws Exception {
    assertThat(t.post("/api/apa/agents", ServerApiTest.AGENT).status()).isEqualTo(201);
    String runId = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"what does the note say?\"}").json().path("id").asText();
    t.awaitRun(runId);

    var feedback = t.post("/api/apa/learning/feedback", "{\"run_id\":\"" + runId + "\",\"outcome\":\"correction\",\"score\":0.4,"
        + "\"expected_output\":\"hello, world\",\"reason\":\"incomplete answer\",\"lessons\":[\"Quote the whole note.\"]}");
    assertThat(feedback.status()).as(feedback.body()).isEqualTo(201);
    assertThat(feedback.json().path("agent_id").asText()).isEqualTo("reader");

    JsonNode insights = t.get("/api/apa/learning/insights/reader").json();
    assertThat(insights.path("success_rate").asDouble()).isEqualTo(0.0);
    assertThat(insights.path("failure_reasons").findValuesAsText("reason")).containsExactly("incomplete answer");
    assertThat(insights.path("lessons").findValuesAsText("text")).containsExactly("Quote the whole note.");
    assertThat(t.get("/api/apa/memory/reader?type=procedural").json().path("memories").findValuesAsText("content"))
        .containsExactly("Quote the whole note.");

    ServerApiTest.assertProblem(t.post("/api/apa/learning/feedback", "{\"run_id\":\"run_nope\",\"outcome\":\"success\"}"), 404,
        "no run 'run_nope'; give the id of a run of this workspace");
    ServerApiTest.assertProblem(t.post("/api/apa/learning/feedback", "{\"agent_id\":\"reader\",\"outcome\":\"meh\"}"), 400,
        "feedback outcome 'meh' is not known; use success, failure or correction");
    List<String> documented = t.get("/api/openapi.json").json().path("paths").findValuesAsText("operationId");
    assertThat(documented).isNotEmpty();
  }
}
