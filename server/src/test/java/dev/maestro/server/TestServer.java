package dev.maestro.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.agent.InMemoryAgentStore;
import dev.maestro.engine.audit.InMemoryAuditLog;
import dev.maestro.engine.auth.InMemoryTokenStore;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.learning.InMemoryFeedbackStore;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.safety.InMemoryPolicyStore;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.InMemoryHttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.BuiltinTools;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.IndexedMemories;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A real Maestro server on a free loopback port, over in-memory stores, with a replayed model; and an HTTP client for it. */
final class TestServer implements AutoCloseable {
  record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      return Json.tree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  final InMemoryRunStore runs = new InMemoryRunStore();
  final Agents agents = new Agents(new InMemoryAgentStore(), Clock.systemUTC());
  final EventHub hub = new EventHub();
  final ToolRegistry tools;
  final InMemoryHttpToolStore httpTools = new InMemoryHttpToolStore();
  final InMemoryOutbox outbox = new InMemoryOutbox();
  final InMemoryPolicyStore policies = new InMemoryPolicyStore();
  final InMemoryAuditLog audit = new InMemoryAuditLog(Workspaces.DEFAULT);
  final IndexedMemories memories = new IndexedMemories(new InMemoryMemoryStore(), new HashingEmbedder(), RankingWeights.DEFAULT, Clock.systemUTC(), null);
  final LuceneKnowledgeBase knowledge;
  final RunEngine engine;
  final MaestroServer server;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final InMemoryTokenStore tokens = new InMemoryTokenStore();
  /** The token requests are sent with: an admin of the default workspace unless a test changes it. */
  String token;
  /** A second workspace, with stores of its own, for isolation tests. */
  final Services other;
  private final ToolRegistry otherTools;
  private final RunEngine otherEngine;
  private final IndexedMemories otherMemories;
  private final LuceneKnowledgeBase otherKnowledge;

  TestServer(List<ReplayChatModel.Turn> turns, Path workdir) {
    this(ReplayChatModel.of(turns)::resolved, workdir);
  }

  /** A server whose agents' models are resolved by {@code models} (say, replay transcripts read from files). */
  TestServer(dev.maestro.engine.model.ModelResolver models, Path workdir) {
    HttpToolConfig http = HttpToolConfig.allowing("127.0.0.1");
    tools = new ToolRegistry(BuiltinTools.standard(http, List.of(), 64 * 1024));
    Supplier<SafetyEngine> safety = () -> new SafetyEngine(SafetySettings.DEFAULT, policies.list().stream().map(p -> p.policy()).toList());
    engine = RunEngine.builder().store(runs).tools(tools).models(models).listener(hub).safety(safety).build();
    knowledge = new LuceneKnowledgeBase(workdir.resolve(".maestro-test-index"), new HashingEmbedder());
    var services = new Services(Workspaces.DEFAULT, agents, runs, engine, tools, models, hub, () -> "in memory", List.of(), workdir,
        new HttpRequestTool(http), httpTools, safety, policies, audit, outbox, memories, knowledge,
        new Learning(new InMemoryFeedbackStore(), memories, runs, Clock.systemUTC()));
    var otherRuns = new InMemoryRunStore();
    otherMemories = new IndexedMemories(new InMemoryMemoryStore(), new HashingEmbedder(), RankingWeights.DEFAULT, Clock.systemUTC(), null);
    otherKnowledge = new LuceneKnowledgeBase(workdir.resolve(".maestro-test-index-other"), new HashingEmbedder());
    var otherHub = new EventHub();
    otherTools = new ToolRegistry(BuiltinTools.standard(http, List.of(), 64 * 1024));
    otherEngine = RunEngine.builder().store(otherRuns).tools(otherTools).models(models).listener(otherHub).build();
    other = new Services("other", new Agents(new InMemoryAgentStore(), Clock.systemUTC()), otherRuns, otherEngine, otherTools,
        models, otherHub, () -> "in memory", List.of(), workdir, new HttpRequestTool(http), new InMemoryHttpToolStore(),
        SafetyEngine::defaults, new InMemoryPolicyStore(), new InMemoryAuditLog("other"), new InMemoryOutbox(), otherMemories,
        otherKnowledge, new Learning(new InMemoryFeedbackStore(), otherMemories, otherRuns, Clock.systemUTC()));
    token = tokens.create(Workspaces.DEFAULT, "admin", Role.ADMIN, "test").secret();
    server = MaestroServer.start(new Workspaces() {
      @Override
      public Services open(String workspaceId) {
        return switch (workspaceId) {
          case Workspaces.DEFAULT -> services;
          case "other" -> other;
          default -> throw new IllegalArgumentException(workspaceId);
        };
      }

      @Override
      public TokenStore tokens() {
        return tokens;
      }
    }, "127.0.0.1", 0);
  }

  /** A new token of the workspace with the role. */
  String token(String workspaceId, Role role) {
    return tokens.create(workspaceId, role.wire() + "-" + System.nanoTime(), role, "test").secret();
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  /** The URI with the current token as its access_token parameter: how browsers' event streams and WebSockets authenticate. */
  URI authorized(String path) {
    return uri(path + (path.contains("?") ? "&" : "?") + "access_token=" + token);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String path, String json, String... headers) {
    var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return send(headers.length == 0 ? request : request.headers(headers));
  }

  Response put(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private Response send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the run is finished and returns it. */
  JsonNode awaitRun(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode run = get("/api/apa/runs/" + runId).json();
      String status = run.path("status").asText();
      if (status.equals("completed") || status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
        return run;
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    server.close();
    engine.close();
    tools.close();
    otherEngine.close();
    otherTools.close();
    knowledge.close();
    memories.close();
    otherKnowledge.close();
    otherMemories.close();
  }
}
