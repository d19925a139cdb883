package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.ApprovalQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, roles, workspaces, policies, approvals and the audit trail over the real API. */
class GovernanceApiTest {
  static final String AGENT = "{\"id\":\"reader\",\"model\":\"replay:x\",\"tools\":[\"read_file\"]}";
  static final List<Turn> TURNS = List.of(
      new Turn(null, List.of(new Call("c1", "read_file", Json.tree("{\"path\":\"note.txt\"}"))), 10, 5, 0, 0),
      Turn.text("Final Answer: done"));

  @TempDir Path workdir;
  TestServer t;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(workdir.resolve("note.txt"), "hello");
    t = new TestServer(TURNS, workdir);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private String startRun() {
    if (t.get("/api/apa/agents/reader").status() == 404) {
      assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);
    }
    var started = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"read the note\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().path("id").asText();
  }

  @Test
  void requests_without_a_valid_token_are_401_and_health_stays_open() {
    t.token = null;
    var missing = t.get("/api/apa/runs");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().path("detail").asText()).contains("Authorization: Bearer");
    t.token = "mae_not-a-real-token";
    assertThat(t.get("/api/apa/agents").status()).isEqualTo(401);
    assertThat(t.post("/api/apa/runs", "{}").status()).isEqualTo(401);
    assertThat(t.get("/health").status()).isEqualTo(200);
    assertThat(t.get("/api/openapi.json").status()).isEqualTo(200);
  }

  @Test
  void roles_allow_what_they_name_and_refuse_the_rest_with_403() throws Exception {
    String runId = startRun();
    t.awaitRun(runId);
    String admin = t.token;

    t.token = t.token(Workspaces.DEFAULT, Role.VIEWER);
    assertThat(t.get("/api/apa/runs/" + runId).status()).isEqualTo(200);
    var refused = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\"}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().path("detail").asText()).contains("viewer role", "operate");

    t.token = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    assertThat(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\"}").status()).isEqualTo(201);
    assertThat(t.post("/api/apa/hitl/apr_x/approve", "{}").status()).isEqualTo(403);
    assertThat(t.post("/api/apa/policies", "id: p\nset: {action: log}\n").status()).isEqualTo(403);
    assertThat(t.get("/api/apa/tokens").status()).isEqualTo(403);

    t.token = t.token(Workspaces.DEFAULT, Role.APPROVER);
    assertThat(t.post("/api/apa/hitl/apr_x/approve", "{}").status()).as("allowed, and the request is unknown").isEqualTo(404);
    assertThat(t.post("/api/apa/agents", AGENT.replace("reader", "other")).status()).isEqualTo(403);

    t.token = admin;
    assertThat(t.get("/api/apa/tokens").status()).isEqualTo(200);
  }

  @Test
  void another_workspaces_ids_are_404_for_reads_and_writes_of_every_resource() throws Exception {
    String runId = startRun();
    t.awaitRun(runId);
    assertThat(t.post("/api/apa/policies", "id: mine\nset: {action: log}\n").status()).isEqualTo(201);
    String viewerToken = t.token(Workspaces.DEFAULT, Role.VIEWER);
    String viewerId = t.tokens.list(Workspaces.DEFAULT).getLast().id();

    t.token = t.token("other", Role.ADMIN);
    assertThat(t.get("/api/apa/runs/" + runId).status()).isEqualTo(404);
    assertThat(t.get("/api/apa/runs/" + runId + "/traces").status()).isEqualTo(404);
    assertThat(t.get("/api/apa/runs/" + runId + "/events").status()).isEqualTo(404);
    assertThat(t.post("/api/apa/runs/" + runId + "/cancel", null).status()).isEqualTo(404);
    assertThat(t.get("/api/apa/runs").json().path("runs")).isEmpty();
    assertThat(t.get("/api/apa/agents/reader").status()).isEqualTo(404);
    assertThat(t.put("/api/apa/agents/reader", AGENT).status()).isEqualTo(404);
    assertThat(t.delete("/api/apa/agents/reader").status()).isEqualTo(404);
    assertThat(t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"x\"}").status()).isEqualTo(404);
    assertThat(t.get("/api/apa/policies/mine").status()).isEqualTo(404);
    assertThat(t.delete("/api/apa/policies/mine?version=1").status()).isEqualTo(404);
    assertThat(t.get("/api/apa/policies").json().path("policies")).isEmpty();
    assertThat(t.delete("/api/apa/tokens/" + viewerId).status()).isEqualTo(404);
    assertThat(t.get("/api/apa/tokens").json().path("tokens").findValuesAsText("id")).doesNotContain(viewerId);
    assertThat(t.get("/api/apa/audit").json().path("entries")).allSatisfy(e -> assertThat(e.path("workspace_id").asText()).isEqualTo("other"));
    assertThat(t.get("/api/apa/hitl/history").json().path("requests")).isEmpty();
    assertThat(t.get("/api/apa/outbox").json().path("mails")).isEmpty();

    t.token = viewerToken;
    assertThat(t.get("/api/apa/runs/" + runId).status()).as("the viewer's token still works: nothing was revoked").isEqualTo(200);
  }

  @Test
  void a_policy_stored_over_the_api_governs_the_next_runs_and_its_versions_are_kept() throws Exception {
    var invalid = t.post("/api/apa/policies", "id: bad\nset: {risk: critical, action: allow}\n");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("detail").asText()).contains("critical calls need two approvers");
    assertThat(t.post("/api/apa/policies/validate", "[{id: a, set: {action: log}}, {id: b, set: {risk: high}}]").json()
        .path("policies")).hasSize(2);

    var created = t.post("/api/apa/policies", "id: guard-files\nmatch: {tools: [read_file]}\nset: {action: require_approval}\n");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("version").asInt()).isEqualTo(1);
    String runId = startRun();
    awaitStatus(runId, "waiting_approval");
    String requestId = t.runs.approvals(ApprovalQuery.pending(10)).getFirst().id();
    assertThat(t.get("/api/apa/hitl/pending").json().path("requests").findValuesAsText("id")).containsExactly(requestId);
    var approved = t.post("/api/apa/hitl/" + requestId + "/approve", "{\"comment\":\"fine\"}");
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().path("approved_by").get(0).asText()).isEqualTo("admin");
    assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");

    var stale = t.put("/api/apa/policies/guard-files?version=7", "id: guard-files\nmatch: {tools: [read_file]}\nset: {action: block}\n");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(t.put("/api/apa/policies/guard-files", "id: guard-files\nset: {action: block}\n").status()).as("the version is required")
        .isEqualTo(400);
    var updated = t.put("/api/apa/policies/guard-files?version=1", "id: guard-files\nmatch: {tools: [read_file]}\nset: {action: block}\n");
    assertThat(updated.json().path("version").asInt()).isEqualTo(2);
    String blocked = startRun();
    JsonNode run = t.awaitRun(blocked);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(t.get("/api/apa/runs/" + blocked + "/events").body()).contains("\"action\":\"block\"", "guard-files");
    assertThat(t.get("/api/apa/policies/guard-files/history").json().path("policies").findValuesAsText("version"))
        .containsExactly("2", "1");
    assertThat(t.delete("/api/apa/policies/guard-files?version=2").status()).isEqualTo(200);
    assertThat(t.get("/api/apa/policies/guard-files").status()).isEqualTo(404);
  }

  @Test
  void a_waiting_request_a_registered_tool_and_a_quota_belong_to_their_workspace() throws Exception {
    assertThat(t.post("/api/apa/policies", "id: hold\nmatch: {tools: [read_file]}\nset: {action: require_approval}\n").status()).isEqualTo(201);
    assertThat(t.post("/api/apa/policies", "id: one-run\nmatch: {agents: [reader]}\nset: {quota: {concurrent_runs: 1}}\n").status())
        .isEqualTo(201);
    String runId = startRun();
    awaitStatus(runId, "waiting_approval");
    var refused = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"again\"}");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().path("detail").asText()).contains("one-run", "1 unfinished runs at once");
    var registered = t.post("/api/apa/tools/register",
        "{\"name\":\"owner_lookup\",\"description\":\"Finds owners.\",\"url\":\"https://tools.example.com/owner\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    String requestId = t.get("/api/apa/hitl/pending").json().at("/requests/0/id").asText();
    String admin = t.token;

    t.token = t.token("other", Role.ADMIN);
    assertThat(t.get("/api/apa/hitl/" + requestId).status()).isEqualTo(404);
    assertThat(t.post("/api/apa/hitl/" + requestId + "/approve", "{}").status()).isEqualTo(404);
    assertThat(t.post("/api/apa/hitl/" + requestId + "/reject", "{\"comment\":\"no\"}").status()).isEqualTo(404);
    assertThat(t.get("/api/apa/tools").json().path("tools").findValuesAsText("name")).doesNotContain("owner_lookup");
    assertThat(t.post("/api/apa/tools/owner_lookup/execute", "{}").status()).isEqualTo(404);

    t.token = admin;
    assertThat(t.post("/api/apa/hitl/" + requestId + "/reject", "{\"comment\":\"not now\"}").status()).isEqualTo(200);
    assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void a_direct_tool_call_the_safety_engine_would_hold_or_block_is_refused() {
    assertThat(t.post("/api/apa/policies", "id: hold\nmatch: {tools: [read_file]}\nset: {action: require_approval}\n").status()).isEqualTo(201);
    var refused = t.post("/api/apa/tools/read_file/execute", "{\"arguments\":{\"path\":\"note.txt\"}}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().path("detail").asText()).contains("require_approval", "hold");
    JsonNode entry = t.get("/api/apa/audit?action=tools.").json().at("/entries/0");
    assertThat(entry.path("decision").asText()).isEqualTo("refused");
    assertThat(entry.path("policy").asText()).isEqualTo("hold");
  }

  @Test
  void tokens_are_created_listed_and_revoked_by_admins_and_a_revoked_token_stops_working() {
    var created = t.post("/api/apa/tokens", "{\"name\":\"ci\",\"role\":\"operator\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String secret = created.json().path("secret").asText();
    String id = created.json().at("/token/id").asText();
    assertThat(t.get("/api/apa/tokens").body()).contains(id).doesNotContain(secret);
    assertThat(t.post("/api/apa/tokens", "{\"name\":\"x\",\"role\":\"owner\"}").json().path("detail").asText()).contains("not one of");
    String admin = t.token;
    t.token = secret;
    assertThat(t.get("/api/apa/runs").status()).isEqualTo(200);
    t.token = admin;
    assertThat(t.delete("/api/apa/tokens/" + id).json().path("revoked_at").isNull()).isFalse();
    assertThat(t.delete("/api/apa/tokens/" + id).status()).isEqualTo(409);
    t.token = secret;
    assertThat(t.get("/api/apa/runs").status()).isEqualTo(401);
  }

  @Test
  void every_state_changing_request_is_on_the_audit_trail_done_or_refused_and_the_chain_verifies() throws Exception {
    String runId = startRun();
    t.awaitRun(runId);
    String admin = t.token;
    t.token = t.token(Workspaces.DEFAULT, Role.VIEWER);
    assertThat(t.post("/api/apa/runs/" + runId + "/cancel", null).status()).isEqualTo(403);
    t.token = admin;

    JsonNode entries = t.get("/api/apa/audit?limit=100").json().path("entries");
    assertThat(entries.findValuesAsText("action")).contains("agents.post", "runs.post", "runs.cancel.post");
    JsonNode start = entries.get(1);
    assertThat(start.path("actor").asText()).startsWith("token:tok_").endsWith("(admin)");
    assertThat(start.path("decision").asText()).isEqualTo("ok");
    assertThat(start.at("/details/created").asText()).isEqualTo("/api/apa/runs/" + runId);
    JsonNode refused = entries.get(entries.size() - 1);
    assertThat(refused.path("action").asText()).isEqualTo("runs.cancel.post");
    assertThat(refused.path("decision").asText()).isEqualTo("refused");
    assertThat(refused.at("/details/status").asInt()).isEqualTo(403);
    assertThat(t.get("/api/apa/audit?action=runs.&decision=refused").json().path("entries")).hasSize(1);
    assertThat(t.get("/api/apa/audit/verify").json().path("intact").asBoolean()).isTrue();
    String export = t.get("/api/apa/audit/export?action=agents.").body();
    assertThat(export.lines()).hasSize(1).allSatisfy(line -> assertThat(Json.tree(line).path("action").asText()).isEqualTo("agents.post"));
  }

  private void awaitStatus(String runId, String status) throws InterruptedException {
    for (int i = 0; i < 500 && !t.get("/api/apa/runs/" + runId).json().path("status").asText().equals(status); i++) {
      Thread.sleep(10);
    }
    assertThat(t.get("/api/apa/runs/" + runId).json().path("status").asText()).isEqualTo(status);
  }
}
