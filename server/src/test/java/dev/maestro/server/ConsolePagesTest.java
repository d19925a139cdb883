package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentMemory;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.AgentStatus;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemorySettings;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.NewMemory;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.safety.Policies;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over real HTTP, without a browser: signing in, what each role sees and may do, the
 * CSRF defence, forms, live fragments and error pages. A held tool call comes from a policy that
 * requires approval for read_file.
 */
class ConsolePagesTest {
  static final String AGENT = "{\"id\":\"reader\",\"name\":\"Note reader\",\"model\":\"replay:x\",\"tools\":[\"read_file\"]}";
  static final List<Turn> TURNS = List.of(
      new Turn(null, List.of(new Call("c1", "read_file", Json.tree("{\"path\":\"note.txt\"}"))), 120, 30, 0, 0),
      new Turn("Final Answer: the note says hello", List.of(), 200, 20, 0, 0));
  static final String HOLD = "id: hold-reads\ndescription: reading files needs a person\nmatch: {tools: [read_file]}\n"
      + "set: {risk: high, action: require_approval}\n";

  @TempDir Path workdir;
  TestServer t;
  final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  record Page(int status, String body, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(workdir.resolve("note.txt"), "hello");
    t = new TestServer(TURNS, workdir);
    assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  // ---- signing in

  @Test
  void signs_in_with_the_one_time_link_and_shows_the_dashboard() throws Exception {
    URI link = t.server.oneTimeLoginUrl(t.token);
    HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Strict");

    Page dashboard = get(cookie.split(";")[0].substring(Auth.COOKIE.length() + 1), "/maestro");
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.body()).contains("<h1>Dashboard</h1>", "Signed in as <b>admin</b>", "sse-connect=\"/maestro/dashboard/live\"",
        "Nothing has run yet");
    assertThat(dashboard.body()).contains("/webjars/htmx.org/").contains("/webjars/htmx-ext-sse/");
  }

  @Test
  void sends_a_browser_without_a_session_to_sign_in() throws Exception {
    Page page = send(null, HttpRequest.newBuilder(t.uri("/maestro/agents")).GET(), false);
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.header("location")).isEqualTo("/maestro/login");
    Page fragment = send("mae_unknown", HttpRequest.newBuilder(t.uri("/maestro/dashboard/cards")).GET(), true);
    assertThat(fragment.status()).isEqualTo(401);
    assertThat(fragment.header("hx-redirect")).isEqualTo("/maestro/login");
  }

  @Test
  void serves_its_stylesheet_and_the_htmx_webjars() throws Exception {
    String dashboard = get(t.token, "/maestro").body();
    for (String asset : List.of("/maestro/static/console.css", between(dashboard, "<script src=\"", "\""),
        between(dashboard.substring(dashboard.indexOf("sse.js") - 60), "<script src=\"", "\""))) {
      Page file = send(null, HttpRequest.newBuilder(t.uri(asset.replace("&amp;", "&"))).GET(), false);
      assertThat(file.status()).as(asset).isEqualTo(200);
      assertThat(file.body()).as(asset).isNotBlank();
    }
  }

  // ---- every page, every role

  @Test
  void every_page_renders_for_a_viewer_and_explains_what_to_do_when_empty() throws Exception {
    String viewer = t.token(Workspaces.DEFAULT, Role.VIEWER);
    var pages = Map.of(
        "/maestro", "Nothing has run yet",
        "/maestro/agents", "Note reader",
        "/maestro/agents/reader", "No runs yet",
        "/maestro/runs", "No runs yet",
        "/maestro/hitl", "Nothing is waiting for approval",
        "/maestro/hitl?tab=history", "No approval request matches",
        "/maestro/hitl?tab=audit", "newest entries",
        "/maestro/observability", "No runs in this window",
        "/maestro/governance", "No policies yet",
        "/maestro/integrations", "read_file");
    for (var page : pages.entrySet()) {
      Page p = get(viewer, page.getKey());
      assertThat(p.status()).as(page.getKey()).isEqualTo(200);
      assertThat(p.body()).as(page.getKey()).contains(page.getValue()).doesNotContain("Exception", "\tat ");
    }
    assertThat(get(viewer, "/maestro/knowledge").body()).contains("No collections yet", "An operator creates them")
        .doesNotContain("id=\"new-collection\"");
    assertThat(get(viewer, "/maestro/agents/reader").body()).contains("No memories yet", "No feedback yet", "No lessons yet")
        .doesNotContain("id=\"feedback-form\"");
    assertThat(get(t.token, "/maestro/knowledge").body()).contains("Create one with the form", "id=\"new-collection\"",
        "href=\"/maestro/knowledge\" class=\"active\"");
    assertThat(get(viewer, "/maestro/agents").body()).doesNotContain("New agent");
    assertThat(get(viewer, "/maestro/governance").body()).contains("Only admins see and manage").doesNotContain("Create token");
    assertThat(get(viewer, "/maestro/agents/new").status()).isEqualTo(403);
  }

  @Test
  void a_viewer_sees_no_approve_button_and_a_post_from_a_viewer_is_403() throws Exception {
    String requestId = heldRequest();
    String viewer = t.token(Workspaces.DEFAULT, Role.VIEWER);

    assertThat(get(viewer, "/maestro/hitl").body()).contains(requestId).doesNotContain("data-action=\"approve\"");
    assertThat(get(t.token, "/maestro/hitl").body()).contains(requestId, "data-action=\"approve\"", "data-action=\"reject\"");

    Page refused = post(viewer, "/maestro/hitl/" + requestId + "/approve", Map.of("comment", "fine"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("viewer role", "approve");
    assertThat(refused.header("hx-retarget")).isEqualTo("#flash");
    assertThat(t.runs.approval(requestId).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(t.audit.list(new AuditQuery(null, "maestro.hitl.approve", null, "refused", null, null, null, 10))).hasSize(1);
  }

  @Test
  void approving_in_the_console_resumes_the_run_which_completes() throws Exception {
    String requestId = heldRequest();
    String runId = t.runs.approval(requestId).orElseThrow().runId();
    String approver = t.token(Workspaces.DEFAULT, Role.APPROVER);

    Page box = post(approver, "/maestro/hitl/" + requestId + "/approve", Map.of("comment", "just a note"));

    assertThat(box.status()).as(box.body()).isEqualTo(200);
    assertThat(box.body()).contains("id=\"apr-" + requestId + "\"", "approved", "just a note").doesNotContain("data-action=\"approve\"");
    assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");
    Page run = get(t.token, "/maestro/runs/" + runId);
    assertThat(run.body()).contains("Approved by approver-", "Result of", "hello", "the note says hello", "badge completed")
        .doesNotContain("sse-connect");
    assertThat(t.audit.list(new AuditQuery(null, "maestro.hitl.approve", null, "ok", null, null, null, 10))).hasSize(1);
  }

  @Test
  void rejecting_needs_a_comment_which_the_model_is_told() throws Exception {
    String requestId = heldRequest();
    Page missing = post(t.token, "/maestro/hitl/" + requestId + "/reject", Map.of("comment", " "));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("say why you reject");

    Page rejected = post(t.token, "/maestro/hitl/" + requestId + "/reject", Map.of("comment", "not that file"));
    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.body()).contains("rejected", "not that file");
    assertThat(t.runs.approval(requestId).orElseThrow().status()).isEqualTo(ApprovalStatus.REJECTED);
  }

  // ---- the CSRF defence

  @Test
  void refuses_a_console_change_without_the_htmx_header() throws Exception {
    Page refused = send(t.token, HttpRequest.newBuilder(t.uri("/maestro/agents/reader/pause"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()), false);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("only from the console's pages").doesNotContain("\tat ");
    assertThat(t.agents.get("reader").status()).isNotEqualTo(AgentStatus.PAUSED);

    assertThat(post(t.token, "/maestro/agents/reader/pause", Map.of()).header("hx-redirect")).isEqualTo("/maestro/agents/reader");
    assertThat(t.agents.get("reader").status()).isEqualTo(AgentStatus.PAUSED);
  }

  // ---- agents and runs

  @Test
  void creates_agents_from_yaml_and_from_fields_and_edits_them() throws Exception {
    Page fromYaml = post(t.token, "/maestro/agents", Map.of("mode", "yaml", "yaml",
        "id: echo\nname: Echo\nmodel: replay:x\ninstructions: repeat\nlimits: {max_steps: 3, timeout: 90s}\n"));
    assertThat(fromYaml.status()).as(fromYaml.body()).isEqualTo(200);
    assertThat(fromYaml.header("hx-redirect")).isEqualTo("/maestro/agents/echo");
    assertThat(t.agents.get("echo").spec().limits().maxSteps()).isEqualTo(3);

    var fields = new LinkedHashMap<String, String>();
    fields.put("mode", "fields");
    fields.put("id", "summer");
    fields.put("model", "replay:x");
    fields.put("tools", "read_file");
    fields.put("max_steps", "4");
    fields.put("timeout", "2m");
    fields.put("recall_limit", "0");
    fields.put("memory_token_budget", "");
    fields.put("episodic", "false");
    assertThat(post(t.token, "/maestro/agents", fields).header("hx-redirect")).isEqualTo("/maestro/agents/summer");
    var summer = t.agents.get("summer").spec();
    assertThat(summer.tools()).containsExactly("read_file");
    assertThat(summer.limits().timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(summer.memory()).isEqualTo(new AgentMemory(0, null, false)); // the empty token budget is the platform's

    Page edit = get(t.token, "/maestro/agents/summer/edit");
    assertThat(edit.body()).contains("id: \"summer\"", "value=\"2m\"", "value=\"read_file\" checked", "name=\"recall_limit\" value=\"0\"",
        "<option value=\"false\" selected>no</option>", "memory:");
    assertThat(post(t.token, "/maestro/agents/summer", Map.of("mode", "yaml", "yaml", "id: summer\nname: Summer\nmodel: replay:y\n"))
        .header("hx-redirect")).isEqualTo("/maestro/agents/summer");
    assertThat(t.agents.get("summer").spec().model()).isEqualTo("replay:y");

    Page duplicate = post(t.token, "/maestro/agents", Map.of("mode", "yaml", "yaml", "id: echo\nmodel: replay:x\n"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.body()).contains("already exists");
    Page invalid = post(t.token, "/maestro/agents", Map.of("mode", "yaml", "yaml", "id: Bad Id\nmodel: replay:x\n"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("class=\"problem\"", "agent id 'Bad Id' is not valid");
    assertThat(invalid.header("hx-retarget")).isEqualTo("#flash");
  }

  @Test
  void the_agent_page_says_how_its_runs_use_memory() throws Exception {
    var plain = new AgentSpec("plain", null, null, null, "replay:x", null, List.of(), null);
    var own = new AgentSpec("own", null, null, null, "replay:x", null, List.of(), null, null, new AgentMemory(0, null, false));
    java.util.function.BiFunction<AgentSpec, MemorySettings, String> memory = (spec, platform) -> new ConsoleAgents.AgentPage(null,
        new Agent(spec, AgentStatus.ENABLED, Instant.EPOCH, Instant.EPOCH), null, null, null, 0, null, null, null, null, null, null, platform)
        .memory();

    assertThat(memory.apply(plain, MemorySettings.DEFAULT))
        .isEqualTo("recalls up to 5 memories (500 tokens) · remembers each run · the platform's settings");
    assertThat(memory.apply(own, MemorySettings.DEFAULT))
        .isEqualTo("recalls nothing · does not remember its runs · set by the agent where it says so, else the platform's");
    assertThat(memory.apply(own, null)).isEqualTo("off: runs on this server do not use memory");
    assertThat(get(t.token, "/maestro/agents/reader").body()).contains("<dt>Memory</dt><dd>off: runs on this server do not use memory</dd>");
  }

  @Test
  void the_agent_page_shows_the_policies_that_apply_to_it_and_admins_start_one_for_it() throws Exception {
    assertThat(t.post("/api/apa/policies", HOLD).status()).isEqualTo(201);
    assertThat(t.post("/api/apa/policies", "id: others-only\nmatch: {agents: [someone-else]}\nset: {action: log}\n").status()).isEqualTo(201);

    Page page = get(t.token, "/maestro/agents/reader");

    assertThat(page.body()).contains("/maestro/governance/policies/hold-reads", "require_approval · high risk · read_file")
        .doesNotContain("others-only").contains("/maestro/governance/policies/new?agent=reader");
    assertThat(get(t.token, "/maestro/governance/policies/new?agent=reader").body()).contains("match: {agents: [reader], tools: [\"*\"]}");
    assertThat(get(t.token(Workspaces.DEFAULT, Role.VIEWER), "/maestro/agents/reader").body()).as("only admins change policies")
        .doesNotContain("policies/new?agent=");
  }

  @Test
  void starts_a_run_from_the_agent_page_and_shows_its_trace_with_tokens_and_timeline() throws Exception {
    t.token = t.token; // an admin
    Page started = post(t.token, "/maestro/agents/reader/runs", Map.of("input", "read the note"));
    String location = started.header("hx-redirect");
    assertThat(location).startsWith("/maestro/runs/run_");
    String runId = location.substring("/maestro/runs/".length());
    assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");

    Page run = get(t.token, location);
    assertThat(run.body()).contains("Run <span class=\"mono\">" + runId, "Step 1 · model answered", "120 in / 30 out",
        "Calls <span class=\"mono\">read_file</span>", "\"path\" : \"note.txt\"", "Result of", "Safety", "Answer",
        "the note says hello", "<svg class=\"chart timeline\"", "370"); // 120+30+200+20 tokens
    Page runs = get(t.token, "/maestro/runs?agent=reader&status=completed");
    assertThat(runs.body()).contains(runId);
    assertThat(get(t.token, "/maestro/runs?status=failed").body()).doesNotContain(runId).contains("No run matches");
    Page agent = get(t.token, "/maestro/agents/reader?feedback=recorded");
    assertThat(agent.body()).contains("Feedback recorded", runId, "Start run");
  }

  @Test
  void follows_a_run_live_as_html_fragments_until_it_ends() throws Exception {
    String requestId = heldRequest();
    String runId = t.runs.approval(requestId).orElseThrow().runId();
    long seen = t.runs.find(runId).orElseThrow().lastSeq();
    var http = HttpClient.newHttpClient();
    var request = HttpRequest.newBuilder(t.uri("/maestro/runs/" + runId + "/live?after=" + seen)).header("Cookie", Auth.COOKIE + "=" + t.token);
    HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      t.engine.approve(requestId, "someone", null);
      var events = new java.util.ArrayList<String>();
      var data = new StringBuilder();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("event: ")) {
          events.add(line.substring(7));
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6)).append('\n');
        }
        if (events.contains("done")) {
          break;
        }
      }
      assertThat(events).contains("step").endsWith("done");
      assertThat(data.toString()).contains("data-type=\"approval_granted\"", "data-type=\"tool_call_completed\"", "data-type=\"run_completed\"",
          "id=\"run-summary\" hx-swap-oob=\"true\"", "id=\"apr-" + requestId + "\" hx-swap-oob=\"true\"", "id=\"timeline\" hx-swap-oob=\"true\"");
    }
  }

  // ---- the Spark pack

  /** The shared event logs, as the Spark pack's tests find them, or null (the test is then skipped with a notice). */
  static Path sparkLogs() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate : new Path[] {p.resolve("shared/data/spark-eventlogs"), p.resolve("../shared/data/spark-eventlogs")}) {
        if (Files.isDirectory(candidate)) {
          return candidate.normalize();
        }
      }
    }
    String fallback = System.getenv("MAESTRO_SPARK_EVENTLOGS");
    return fallback != null && Files.isDirectory(Path.of(fallback)) ? Path.of(fallback) : null;
  }

  @Test
  void the_spark_page_says_the_pack_is_missing_until_its_tools_are_installed() throws Exception {
    String operator = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    Page missing = get(operator, "/maestro/packs/spark");
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.body()).contains("id=\"spark-not-installed\"", "The Spark pack is not installed").doesNotContain("id=\"spark-analyze\"");
    assertThat(get(operator, "/maestro").body()).doesNotContain("href=\"/maestro/packs/spark\"");
    Page refused = post(operator, "/maestro/packs/spark/analyze", Map.of("path", "app.log"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("the Spark pack is not installed");
  }

  @Test
  void operators_analyse_an_event_log_of_the_working_directory_and_see_the_report() throws Exception {
    Path logs = sparkLogs();
    org.junit.jupiter.api.Assumptions.assumeTrue(logs != null, "shared/data/spark-eventlogs is absent: set MAESTRO_SPARK_EVENTLOGS");
    Files.createDirectories(workdir.resolve("logs"));
    Files.copy(logs.resolve("aqeshuffle_eventlog.zstd"), workdir.resolve("logs/aqeshuffle_eventlog.zstd"));
    new dev.maestro.packs.spark.SparkPack().tools(new dev.maestro.engine.pack.PackContext(workdir.resolve(".spark"), null, null))
        .forEach(t.tools::register);
    String operator = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    String viewer = t.token(Workspaces.DEFAULT, Role.VIEWER);

    assertThat(get(operator, "/maestro").body()).contains("href=\"/maestro/packs/spark\"");
    Page page = get(operator, "/maestro/packs/spark");
    assertThat(page.body()).contains("id=\"spark-analyze\"", "directory, under <span class=\"mono\">")
        .contains("href=\"/maestro/packs/spark\" class=\"active\"").doesNotContain("spark-not-installed");
    assertThat(get(viewer, "/maestro/packs/spark").body()).contains("needs an operator's token").doesNotContain("id=\"spark-analyze\"");
    assertThat(post(viewer, "/maestro/packs/spark/analyze", Map.of("path", "logs/aqeshuffle_eventlog.zstd")).status()).isEqualTo(403);

    Page outside = post(operator, "/maestro/packs/spark/analyze", Map.of("path", "../elsewhere/app.log"));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.body()).contains("outside the server's working directory");
    Page absolute = post(operator, "/maestro/packs/spark/analyze", Map.of("path", logs.resolve("aqeshuffle_eventlog.zstd").toString()));
    assertThat(absolute.status()).isEqualTo(400);
    assertThat(absolute.body()).contains("outside the server's working directory");
    Page absent = post(operator, "/maestro/packs/spark/analyze", Map.of("path", "logs/none.zstd"));
    assertThat(absent.status()).isEqualTo(400);
    assertThat(absent.body()).contains("the Spark pack could not analyse 'logs/none.zstd'");

    Page report = post(operator, "/maestro/packs/spark/analyze", Map.of("path", "logs/aqeshuffle_eventlog.zstd"));
    assertThat(report.status()).as(report.body()).isEqualTo(200);
    assertThat(report.body()).contains("data-path=\"logs/aqeshuffle_eventlog.zstd\"", "id=\"spark-application\"", "id=\"spark-findings\"",
        "id=\"spark-recommendations\"", "id=\"spark-stages\"", "<th class=\"num\">shuffleReadBytes</th>", "id=\"spark-executors\"",
        "Estimated time", "id=\"spark-cost\"", "core-hours").doesNotContain("id=\"spark-errors\"", "Exception");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "spark-report.html"), report.body()); // for review
    assertThat(report.body()).containsPattern("<td class=\"num\">\\d+</td><td class=\"num\">\\d+</td>");
    assertThat(t.audit.list(new AuditQuery(null, null, null, null, null, null, null, 50))).filteredOn(a -> a.action().equals("maestro.packs.spark.analyze.post"))
        .extracting(a -> a.decision()).containsOnly("ok", "refused").contains("ok", "refused");
  }

  // ---- knowledge

  @Test
  void operators_create_collections_ingest_the_working_directory_and_anyone_searches_with_citations() throws Exception {
    Path docs = Files.createDirectories(workdir.resolve("docs"));
    Files.writeString(docs.resolve("deploy.md"), "# Deploys\n\nA deploy that fails on a migration lock is retried after CREATE INDEX CONCURRENTLY.\n");
    Files.writeString(docs.resolve("oncall.md"), "# On call\n\nThe on-call engineer answers pages within fifteen minutes.\n");
    String operator = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    String viewer = t.token(Workspaces.DEFAULT, Role.VIEWER);

    assertThat(post(viewer, "/maestro/knowledge/collections", Map.of("name", "runbooks")).status()).isEqualTo(403);
    Page created = post(operator, "/maestro/knowledge/collections", Map.of("name", "runbooks", "description", "how we operate"));
    assertThat(created.header("hx-redirect")).isEqualTo("/maestro/knowledge?created=runbooks#collection-runbooks");
    assertThat(get(operator, "/maestro/knowledge?created=runbooks").body()).contains("Collection <b>runbooks</b> created");
    assertThat(post(operator, "/maestro/knowledge/collections", Map.of("name", "runbooks")).body()).contains("runbooks");
    assertThat(post(operator, "/maestro/knowledge/collections", Map.of("name", "runbooks")).status()).isEqualTo(409);

    Page outside = post(operator, "/maestro/knowledge/collections/runbooks/ingest", Map.of("sources", "../elsewhere"));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.body()).contains("outside the server's working directory");
    Page url = post(operator, "/maestro/knowledge/collections/runbooks/ingest", Map.of("sources", "https://example.com/doc"));
    assertThat(url.status()).isEqualTo(400);
    assertThat(url.body()).contains("not URLs");
    Page ingested = post(operator, "/maestro/knowledge/collections/runbooks/ingest", Map.of("sources", "docs\n"));
    assertThat(ingested.status()).as(ingested.body()).isEqualTo(200);
    // The ingestion runs in the background: a small one has ended when the page answers, a long one is followed by polling.
    String id = t.get("/api/apa/knowledge/ingestions").json().at("/ingestions/0/id").asText();
    for (int i = 0; i < 500 && ingested.body().contains("data-ingesting"); i++) {
      assertThat(ingested.body()).contains("hx-get=\"/maestro/knowledge/ingestions/" + id + "\"", "hx-trigger=\"every 1s\"");
      Thread.sleep(10);
      ingested = get(operator, "/maestro/knowledge/ingestions/" + id);
    }
    assertThat(ingested.body()).contains("data-ingested=\"runbooks\"", "Ingested docs into", "2 added, 0 updated, 0 unchanged")
        .doesNotContain("hx-trigger");
    assertThat(get(viewer, "/maestro/knowledge/ingestions/" + id).body()).contains("data-ingested=\"runbooks\"", "Ingested docs into");
    assertThat(get(viewer, "/maestro/knowledge/ingestions/ing_nope").status()).isEqualTo(404);
    assertThat(t.knowledge.collection("runbooks").documents()).isEqualTo(2);
    Page unknown = post(operator, "/maestro/knowledge/collections/nope/ingest", Map.of("sources", "docs\n"));
    assertThat(unknown.status()).isEqualTo(404);

    Page page = get(viewer, "/maestro/knowledge");
    assertThat(page.body()).contains("id=\"collection-runbooks\"", "how we operate", "hash-", "id=\"knowledge-search\"")
        .doesNotContain("id=\"ingest-runbooks\"", "Delete collection");
    for (String mode : List.of("hybrid", "keyword", "vector")) {
      Page found = post(viewer, "/maestro/knowledge/search", Map.of("collection", "runbooks", "query", "migration lock deploy", "mode", mode,
          "limit", "1"));
      assertThat(found.status()).as(mode + ": " + found.body()).isEqualTo(200);
      assertThat(found.body()).as(mode).contains("1 passages from", mode + " search", "class=\"mono citation\"", "deploy.md", "CREATE INDEX");
    }
    assertThat(post(viewer, "/maestro/knowledge/search", Map.of("collection", "runbooks", "query", "x", "mode", "fuzzy")).body())
        .contains("search mode 'fuzzy' is not known");
    assertThat(post(viewer, "/maestro/knowledge/search", Map.of("collection", "nope", "query", "x")).status()).isEqualTo(404);

    assertThat(post(viewer, "/maestro/knowledge/collections/runbooks/delete", Map.of()).status()).isEqualTo(403);
    assertThat(post(operator, "/maestro/knowledge/collections/runbooks/delete", Map.of()).header("hx-redirect")).isEqualTo("/maestro/knowledge");
    assertThat(t.knowledge.collections()).isEmpty();
    assertThat(t.audit.list(new AuditQuery(null, null, null, "ok", null, null, null, 50))).extracting(a -> a.action())
        .contains("maestro.knowledge.collections.post").noneMatch(a -> a.contains("search"));
  }

  // ---- memory, feedback and insights

  @Test
  void the_agent_page_lists_memories_by_type_a_page_at_a_time_recalls_and_deletes_them() throws Exception {
    for (int i = 0; i < ConsoleMemory.PAGE + 2; i++) {
      t.memories.remember(new NewMemory("reader", MemoryType.EPISODIC, "run " + i + " read a note", 0.3, null, Map.of()));
    }
    Memory fact = t.memories.remember(new NewMemory("reader", MemoryType.SEMANTIC, "the orders table is locked by migrations", 0.8, null, Map.of()));
    Memory other = t.memories.remember(new NewMemory("someone-else", MemoryType.SEMANTIC, "not the reader's", 0.5, null, Map.of()));

    Page first = get(t.token, "/maestro/agents/reader");
    assertThat(first.body()).contains("id=\"mem-" + fact.id() + "\"", "memory_offset=" + ConsoleMemory.PAGE, "Older →")
        .doesNotContain("not the reader's");
    Page older = get(t.token, "/maestro/agents/reader?memory_offset=" + ConsoleMemory.PAGE);
    assertThat(older.body()).contains("run 0 read a note", "← Newer").doesNotContain(fact.id());
    Page semantic = get(t.token, "/maestro/agents/reader?memory_type=semantic");
    assertThat(semantic.body()).contains(fact.id()).doesNotContain("read a note");
    assertThat(get(t.token, "/maestro/agents/reader?memory_type=procedural").body()).contains("No procedural memories.");
    assertThat(get(t.token, "/maestro/agents/reader?memory_type=dreams").status()).isEqualTo(400);

    String viewer = t.token(Workspaces.DEFAULT, Role.VIEWER);
    Page recalled = post(viewer, "/maestro/agents/reader/memories/search", Map.of("query", "orders table locked", "type", "semantic"));
    assertThat(recalled.status()).as(recalled.body()).isEqualTo(200);
    assertThat(recalled.body()).contains("1 memories recalled", "the orders table is locked by migrations").doesNotContain("read a note");

    assertThat(post(viewer, "/maestro/agents/reader/memories/" + fact.id() + "/delete", Map.of()).status()).isEqualTo(403);
    assertThat(post(t.token, "/maestro/agents/reader/memories/" + other.id() + "/delete", Map.of()).status()).isEqualTo(404);
    assertThat(t.memories.get(other.id())).isNotNull();
    Page deleted = post(t.token, "/maestro/agents/reader/memories/" + fact.id() + "/delete", Map.of());
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body()).isEmpty();
    assertThat(t.memories.list("reader", MemoryType.SEMANTIC, 10, 0)).isEmpty();
  }

  @Test
  void feedback_from_the_agent_page_becomes_insights_and_lessons_in_force() throws Exception {
    String runId = post(t.token, "/maestro/agents/reader/runs", Map.of("input", "read the note")).header("hx-redirect").substring(14);
    assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");
    assertThat(get(t.token, "/maestro/agents/reader").body()).contains("<option value=\"" + runId + "\">");

    var failure = new LinkedHashMap<String, String>();
    failure.put("run_id", runId);
    failure.put("outcome", "failure");
    failure.put("score", "0.2");
    failure.put("reason", "read the wrong file");
    failure.put("expected_output", "the note's text");
    failure.put("lessons", "Check the file name before reading.\n\nQuote the note verbatim.");
    Page given = post(t.token, "/maestro/agents/reader/feedback", failure);
    assertThat(given.status()).as(given.body()).isEqualTo(200);
    assertThat(given.header("hx-redirect")).isEqualTo("/maestro/agents/reader?feedback=recorded#learning");
    assertThat(post(t.token, "/maestro/agents/reader/feedback", Map.of("outcome", "success", "score", "0.9")).status()).isEqualTo(200);
    Page badScore = post(t.token, "/maestro/agents/reader/feedback", Map.of("outcome", "success", "score", "2"));
    assertThat(badScore.status()).isEqualTo(400);
    assertThat(badScore.body()).contains("out of range");
    assertThat(post(t.token(Workspaces.DEFAULT, Role.VIEWER), "/maestro/agents/reader/feedback", Map.of("outcome", "success")).status())
        .isEqualTo(403);

    Page agent = get(t.token, "/maestro/agents/reader");
    assertThat(agent.body()).contains("<dd id=\"success-rate\">50%</dd>", "<dd>0.55</dd>", "read the wrong file", "× 1",
        "Check the file name before reading.", "Quote the note verbatim.", "needs scores on two days");
    assertThat(t.memories.list("reader", MemoryType.PROCEDURAL, 10, 0)).extracting(Memory::content)
        .containsExactlyInAnyOrder("Check the file name before reading.", "Quote the note verbatim.");
  }

  // ---- governance

  @Test
  void admins_check_add_edit_and_delete_policies_and_others_may_only_check() throws Exception {
    Page check = post(t.token, "/maestro/governance/policies/validate", Map.of("policy", HOLD));
    assertThat(check.body()).contains("data-valid=\"true\"", "hold-reads", "require_approval");
    Page bad = post(t.token, "/maestro/governance/policies/validate", Map.of("policy", "id: x\nset: {}\n"));
    assertThat(bad.status()).isEqualTo(200);
    assertThat(bad.body()).contains("data-valid=\"false\"", "sets nothing");

    assertThat(post(t.token, "/maestro/governance/policies", Map.of("policy", HOLD)).header("hx-redirect"))
        .isEqualTo("/maestro/governance/policies/hold-reads");
    Page view = get(t.token, "/maestro/governance/policies/hold-reads");
    assertThat(view.body()).contains("version 1", "name=\"version\" value=\"1\"");
    String shown = between(view.body(), "name=\"policy\" rows=\"14\" spellcheck=\"false\">", "</textarea>");
    assertThat(Policies.parse(unescape(shown), "shown").getFirst()).isEqualTo(Policies.parse(HOLD, "original").getFirst());

    Page stale = post(t.token, "/maestro/governance/policies/hold-reads", Map.of("policy", HOLD.replace("a person", "someone"), "version", "7"));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body()).contains("version");
    assertThat(post(t.token, "/maestro/governance/policies/hold-reads", Map.of("policy", HOLD.replace("a person", "one person"), "version", "1"))
        .status()).isEqualTo(200);
    assertThat(t.policies.find("hold-reads").orElseThrow().version()).isEqualTo(2);

    String operator = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    assertThat(post(operator, "/maestro/governance/policies/validate", Map.of("policy", HOLD)).status()).isEqualTo(200);
    assertThat(post(operator, "/maestro/governance/policies/hold-reads/delete", Map.of("version", "2")).status()).isEqualTo(403);
    assertThat(get(operator, "/maestro/governance/policies/hold-reads").body()).contains("Only admins change policies")
        .doesNotContain("id=\"policy-form\"");

    assertThat(post(t.token, "/maestro/governance/policies/hold-reads/delete", Map.of("version", "2")).header("hx-redirect"))
        .isEqualTo("/maestro/governance");
    assertThat(t.policies.find("hold-reads")).isEmpty();
  }

  @Test
  void admins_create_tokens_shown_once_and_revoke_them() throws Exception {
    Page created = post(t.token, "/maestro/governance/tokens", Map.of("name", "ci", "role", "operator"));
    assertThat(created.status()).isEqualTo(200);
    String secret = between(created.body(), "id=\"new-token-secret\">", "</div>");
    assertThat(t.tokens.authenticate(secret)).hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.OPERATOR));
    assertThat(get(t.token, "/maestro/governance").body()).contains("ci").doesNotContain(secret);

    String tokenId = t.tokens.authenticate(secret).orElseThrow().tokenId();
    String operator = t.token(Workspaces.DEFAULT, Role.OPERATOR);
    assertThat(post(operator, "/maestro/governance/tokens/" + tokenId + "/revoke", Map.of()).status()).isEqualTo(403);
    Page revoked = post(t.token, "/maestro/governance/tokens/" + tokenId + "/revoke", Map.of());
    assertThat(revoked.body()).contains("badge revoked");
    assertThat(t.tokens.authenticate(secret)).isEmpty();
  }

  // ---- figures

  @Test
  void the_dashboard_and_observability_count_finished_runs() throws Exception {
    for (int i = 0; i < 2; i++) {
      String runId = post(t.token, "/maestro/agents/reader/runs", Map.of("input", "read " + i)).header("hx-redirect").substring(14);
      assertThat(t.awaitRun(runId).path("status").asText()).isEqualTo("completed");
    }
    Page cards = get(t.token, "/maestro/dashboard/cards");
    assertThat(cards.body()).contains("<div class=\"value\" id=\"runs-24h\">2</div>", "<span id=\"completed-24h\">2</span>", "100%");
    Page observability = get(t.token, "/maestro/observability?window=7d");
    assertThat(observability.body()).contains("Last 7 days: 2 runs", "<td class=\"mono\">read_file</td>", "replay:x");
    assertThat(get(t.token, "/maestro/agents").body()).contains("<td class=\"num\">2</td>");
  }

  // ---- errors

  @Test
  void shows_errors_as_pages_that_say_what_to_do_never_a_stack_trace() throws Exception {
    Page missingRun = get(t.token, "/maestro/runs/run_nope");
    assertThat(missingRun.status()).isEqualTo(404);
    assertThat(missingRun.body()).contains("<h1>404 · Not Found</h1>", "there is no run 'run_nope'", "Back to the dashboard");
    Page noPage = get(t.token, "/maestro/nowhere");
    assertThat(noPage.status()).isEqualTo(404);
    assertThat(noPage.body()).contains("there is no console page /maestro/nowhere", "Signed in as");
    Page badWindow = get(t.token, "/maestro/observability?window=1y");
    assertThat(badWindow.status()).isEqualTo(400);
    assertThat(badWindow.body()).contains("window '1y' is not one of [24h, 7d, 30d]");
    Page badStatus = get(t.token, "/maestro/runs?status=done");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.body()).contains("run status 'done' is not one of");
    Page paused = post(t.token, "/maestro/agents/reader/pause", Map.of());
    assertThat(paused.status()).isEqualTo(200);
    Page notRunnable = post(t.token, "/maestro/agents/reader/runs", Map.of("input", "x"));
    assertThat(notRunnable.status()).isEqualTo(409);
    assertThat(notRunnable.body()).contains("is paused");
    for (Page p : List.of(missingRun, noPage, badWindow, badStatus, notRunnable)) {
      assertThat(p.body()).doesNotContain("\tat ", "Exception");
    }
    assertThat(t.get("/api/apa/runs/run_nope").contentType()).as("the API still answers with problem documents").startsWith(Problems.CONTENT_TYPE);
  }

  // ---- helpers

  /** Starts a run whose read_file call a policy holds for approval; returns the request's id once it waits. */
  private String heldRequest() throws Exception {
    assertThat(t.post("/api/apa/policies", HOLD).status()).isEqualTo(201);
    var started = t.post("/api/apa/runs", "{\"agent_id\":\"reader\",\"input\":\"read the note\"}");
    String runId = started.json().path("id").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      var pending = t.runs.approvals(ApprovalQuery.pending(10));
      if (!pending.isEmpty() && t.runs.find(runId).orElseThrow().status().wire().equals("waiting_approval")) {
        return pending.getFirst().id();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("run " + runId + " never waited for approval");
  }

  private Page get(String token, String path) throws IOException, InterruptedException {
    return send(token, HttpRequest.newBuilder(t.uri(path)).GET(), false);
  }

  private Page post(String token, String path, Map<String, String> form) throws IOException, InterruptedException {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(token, HttpRequest.newBuilder(t.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)), true);
  }

  private Page send(String token, HttpRequest.Builder request, boolean htmx) throws IOException, InterruptedException {
    if (token != null) {
      request.header("Cookie", Auth.COOKIE + "=" + token);
    }
    if (htmx) {
      request.header("HX-Request", "true");
    }
    HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    var headers = new LinkedHashMap<String, String>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
    return new Page(r.statusCode(), r.body(), headers);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("'" + start + "' in the page").isGreaterThanOrEqualTo(0);
    from += start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  private static String unescape(String html) {
    return html.replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
