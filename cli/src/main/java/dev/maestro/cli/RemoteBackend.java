package dev.maestro.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.TraceEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The commands acting on a running Maestro server through its API ({@code --server URL}). */
final class RemoteBackend implements Backend {
  /** How often a background ingestion's progress is asked for. */
  private static final Duration INGEST_POLL = Duration.ofMillis(250);

  private final URI base;
  private final RunListener listener;
  /** The API token sent with every request, or null. */
  private final String token;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RemoteBackend(String url, String token, RunListener listener) {
    URI parsed;
    try {
      parsed = URI.create(url.endsWith("/") ? url : url + "/");
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null || parsed.getHost() == null || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))) {
      throw new InvalidInputException("--server '" + url + "' is not a server URL; give one such as http://127.0.0.1:8080");
    }
    this.base = parsed;
    this.listener = listener;
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  @Override
  public Agent saveAgent(AgentSpec spec) {
    String body = Json.write(spec);
    try {
      return read(send(HttpRequest.newBuilder(uri("api/apa/agents")).POST(json(body))), Agent.class);
    } catch (ConflictException exists) {
      return read(send(HttpRequest.newBuilder(uri("api/apa/agents/" + spec.id())).PUT(json(body))), Agent.class);
    }
  }

  @Override
  public List<Agent> agents() {
    JsonNode doc = Json.tree(send(HttpRequest.newBuilder(uri("api/apa/agents")).GET()));
    return convert(doc.get("agents"), new TypeReference<>() {});
  }

  @Override
  public Agent agent(String id) {
    return read(send(HttpRequest.newBuilder(uri("api/apa/agents/" + encode(id))).GET()), Agent.class);
  }

  @Override
  public Agent transition(String id, String action) {
    var request = action.equals("delete")
        ? HttpRequest.newBuilder(uri("api/apa/agents/" + encode(id))).DELETE()
        : HttpRequest.newBuilder(uri("api/apa/agents/" + encode(id) + "/" + action)).POST(HttpRequest.BodyPublishers.noBody());
    return read(send(request), Agent.class);
  }

  @Override
  public String start(String agentId, String input, String model, Path workdir) {
    if (workdir != null) {
      throw new InvalidInputException("--workdir cannot be used with --server: the server confines runs to its own working directory (MAESTRO_WORKDIR)");
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("agent_id", agentId).put("input", input);
    if (model != null) {
      body.put("model", model);
    }
    return Json.tree(send(HttpRequest.newBuilder(uri("api/apa/runs")).POST(json(Json.write(body))))).path("id").asText();
  }

  /** Reads the run's event stream to its end (the server closes it when the run ends), passing each event on. */
  @Override
  public Run follow(String runId) {
    long last = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
      var request = HttpRequest.newBuilder(uri("api/apa/runs/" + encode(runId) + "/events?after=" + last)).header("Accept", "text/event-stream").GET();
      HttpResponse<InputStream> response = call(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() >= 400) {
        try (InputStream in = response.body()) {
          throw problem(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw unreachable(e);
        }
      }
      try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.startsWith("data: ")) {
            RecordedEvent event = Json.read(line.substring(6), RecordedEvent.class);
            last = event.seq();
            if (listener != null) {
              listener.onEvents(List.of(event));
            }
          }
        }
      } catch (IOException e) {
        continue; // the connection dropped: continue after the last event seen
      }
      Run run = run(runId);
      if (run.status().terminal()) {
        return run;
      }
    }
    return run(runId);
  }

  @Override
  public void resume(String runId) {
    send(HttpRequest.newBuilder(uri("api/apa/runs/" + encode(runId) + "/resume")).POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Override
  public List<Run> runs(RunQuery q) {
    var query = new StringBuilder("api/apa/runs?limit=" + q.limit() + "&offset=" + q.offset());
    if (q.agentId() != null) {
      query.append("&agent_id=").append(encode(q.agentId()));
    }
    if (q.status() != null) {
      query.append("&status=").append(q.status().wire());
    }
    if (q.createdAfter() != null) {
      query.append("&created_after=").append(encode(q.createdAfter().toString()));
    }
    return convert(Json.tree(send(HttpRequest.newBuilder(uri(query.toString())).GET())).get("runs"), new TypeReference<>() {});
  }

  @Override
  public Run run(String runId) {
    return read(send(HttpRequest.newBuilder(uri("api/apa/runs/" + encode(runId))).GET()), Run.class);
  }

  @Override
  public List<TraceEntry> traces(String runId) {
    return convert(Json.tree(send(HttpRequest.newBuilder(uri("api/apa/runs/" + encode(runId) + "/traces")).GET())).get("traces"),
        new TypeReference<>() {});
  }

  @Override
  public List<RecordedEvent> events(String runId) {
    var request = HttpRequest.newBuilder(uri("api/apa/runs/" + encode(runId) + "/events")).header("Accept", "application/json").GET();
    return convert(Json.tree(send(request)).get("events"), new TypeReference<>() {});
  }

  @Override
  public List<ApprovalRequest> approvals(ApprovalQuery q) {
    var query = new StringBuilder(q.status() == ApprovalStatus.PENDING ? "api/apa/hitl/pending?" : "api/apa/hitl/history?");
    query.append("limit=").append(q.limit()).append("&offset=").append(q.offset());
    if (q.status() != null && q.status() != ApprovalStatus.PENDING) {
      query.append("&status=").append(q.status().wire());
    }
    if (q.agentId() != null) {
      query.append("&agent_id=").append(encode(q.agentId()));
    }
    if (q.runId() != null) {
      query.append("&run_id=").append(encode(q.runId()));
    }
    return convert(Json.tree(send(HttpRequest.newBuilder(uri(query.toString())).GET())).get("requests"), new TypeReference<>() {});
  }

  @Override
  public ApprovalRequest approval(String id) {
    return read(send(HttpRequest.newBuilder(uri("api/apa/hitl/" + encode(id))).GET()), ApprovalRequest.class);
  }

  @Override
  public ApprovalRequest approve(String id, String who, String comment) {
    return resolve(id, "approve", who, comment);
  }

  @Override
  public ApprovalRequest reject(String id, String who, String comment) {
    return resolve(id, "reject", who, comment);
  }

  private ApprovalRequest resolve(String id, String verb, String who, String comment) {
    var body = Json.MAPPER.createObjectNode().put("approver", who);
    if (comment != null) {
      body.put("comment", comment);
    }
    return read(send(HttpRequest.newBuilder(uri("api/apa/hitl/" + encode(id) + "/" + verb)).POST(json(Json.write(body)))),
        ApprovalRequest.class);
  }

  @Override
  public List<ApiToken> tokens() {
    return convert(Json.tree(send(HttpRequest.newBuilder(uri("api/apa/tokens")).GET())).get("tokens"), new TypeReference<>() {});
  }

  @Override
  public IssuedToken createToken(String name, Role role, String createdBy) {
    var body = Json.MAPPER.createObjectNode().put("name", name).put("role", role.wire());
    return read(send(HttpRequest.newBuilder(uri("api/apa/tokens")).POST(json(Json.write(body)))), IssuedToken.class);
  }

  @Override
  public ApiToken revokeToken(String id) {
    return read(send(HttpRequest.newBuilder(uri("api/apa/tokens/" + encode(id))).DELETE()), ApiToken.class);
  }

  @Override
  public Verification verifyAudit() {
    return read(send(HttpRequest.newBuilder(uri("api/apa/audit/verify")).GET()), Verification.class);
  }

  @Override
  public void exportAudit(AuditQuery q, Writer out) {
    var query = new StringBuilder("api/apa/audit/export?");
    append(query, "actor", q.actor());
    append(query, "action", q.action());
    append(query, "target", q.target());
    append(query, "decision", q.decision());
    append(query, "since", q.since() == null ? null : q.since().toString());
    append(query, "until", q.until() == null ? null : q.until().toString());
    try {
      out.write(send(HttpRequest.newBuilder(uri(query.toString())).GET()));
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void append(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append(query.charAt(query.length() - 1) == '?' ? "" : "&").append(name).append('=').append(encode(value));
    }
  }

  @Override
  public KnowledgeCollection createCollection(String name, String description) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
    if (description != null) {
      body.put("description", description);
    }
    return read(send(HttpRequest.newBuilder(uri("api/apa/knowledge/collections")).POST(json(Json.write(body)))), KnowledgeCollection.class);
  }

  @Override
  public List<KnowledgeCollection> collections() {
    return convert(Json.tree(send(HttpRequest.newBuilder(uri("api/apa/knowledge/collections")).GET())).get("collections"), new TypeReference<>() {});
  }

  @Override
  public void deleteCollection(String name) {
    send(HttpRequest.newBuilder(uri("api/apa/knowledge/collections/" + encode(name))).DELETE());
  }

  /**
   * The server resolves paths against its working directory and ingests in the background ({@code
   * Prefer: respond-async}); its progress is polled for the progress bar until the report is in.
   */
  @Override
  public IngestReport ingest(String collection, List<String> sources, IngestProgress progress) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    sources.forEach(body.putArray("sources")::add);
    HttpResponse<String> started = call(HttpRequest.newBuilder(uri("api/apa/knowledge/collections/" + encode(collection) + "/ingest"))
        .header("Content-Type", "application/json").header("Prefer", "respond-async").POST(json(Json.write(body))), HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() >= 400) {
      throw problem(started.statusCode(), started.body());
    }
    if (started.statusCode() != 202) { // a server that ingests while the request waits
      return read(started.body(), IngestReport.class);
    }
    URI location = base.resolve(started.headers().firstValue("Location").orElseThrow(() -> new MaestroException(
        "the server at " + base + " accepted the ingestion but did not say where to follow it (no Location header)")));
    JsonNode job = Json.tree(started.body());
    int shown = 0;
    boolean counted = false;
    while (true) {
      if (!counted && job.hasNonNull("documents")) {
        progress.started(job.get("documents").asInt());
        counted = true;
      }
      for (int done = job.path("done").asInt(); shown < done; shown++) {
        progress.advanced(job.path("current").asText(""));
      }
      switch (job.path("status").asText()) {
        case "completed" -> {
          return Json.MAPPER.convertValue(job.get("report"), IngestReport.class);
        }
        case "failed" -> throw problem(job.at("/error/status").asInt(500), Json.write(job.get("error")));
        default -> {
          try {
            Thread.sleep(INGEST_POLL.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaestroException("interrupted while following ingestion " + job.path("id").asText() + " at " + location
                + "; it goes on on the server");
          }
          job = Json.tree(send(HttpRequest.newBuilder(location).GET()));
        }
      }
    }
  }

  @Override
  public List<Passage> search(KnowledgeQuery q) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("collection", q.collection()).put("query", q.text()).put("limit", q.limit())
        .put("mode", q.mode().wire());
    q.filters().forEach(body.putObject("filters")::put);
    return convert(Json.tree(send(HttpRequest.newBuilder(uri("api/apa/knowledge/search")).POST(json(Json.write(body))))).get("passages"),
        new TypeReference<>() {});
  }

  @Override
  public void close() {
    client.close();
  }

  private URI uri(String path) {
    return base.resolve(path);
  }

  private String send(HttpRequest.Builder request) {
    request.header("Content-Type", "application/json");
    HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    return response.body();
  }

  private <T> HttpResponse<T> call(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return client.send(request.build(), handler);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MaestroException("interrupted while talking to the Maestro server at " + base);
    }
  }

  private MaestroException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    return new MaestroException("cannot reach the Maestro server at " + base + " (" + why + "); is 'maestro serve' running there?", e) {
      private static final long serialVersionUID = 1L;

      @Override
      public boolean retryable() {
        return true;
      }
    };
  }

  /** The server's problem document as the exception the same mistake raises locally. */
  private static MaestroException problem(int status, String body) {
    String detail;
    try {
      detail = Json.tree(body).path("detail").asText(body);
    } catch (RuntimeException e) {
      detail = body;
    }
    return switch (status) {
      case 400, 413 -> new InvalidInputException(detail);
      case 401 -> new InvalidInputException(detail + " (set MAESTRO_TOKEN to a token of that server)");
      case 403 -> new InvalidInputException(detail);
      case 404 -> new NotFoundException(detail);
      case 429 -> new dev.maestro.engine.LimitExceededException(detail);
      case 409 -> new ConflictException(detail);
      default -> new MaestroException("the server answered " + status + ": " + detail);
    };
  }

  private static HttpRequest.BodyPublisher json(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  private static <T> T read(String json, Class<T> type) {
    return Json.read(json, type);
  }

  private static <T> T convert(JsonNode node, TypeReference<T> type) {
    return Json.MAPPER.convertValue(node, type);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
