package dev.maestro.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.agent.InMemoryAgentStore;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.tool.InMemoryHttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.BuiltinTools;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A real Maestro server on a free loopback port, over in-memory stores, with a replayed model; and an HTTP client for it. */
final class TestServer implements AutoCloseable {
  record Response(int status, String contentType, String body) {
    JsonNode json() {
      return Json.tree(body);
    }
  }

  final InMemoryRunStore runs = new InMemoryRunStore();
  final Agents agents = new Agents(new InMemoryAgentStore(), Clock.systemUTC());
  final EventHub hub = new EventHub();
  final ToolRegistry tools;
  final InMemoryHttpToolStore httpTools = new InMemoryHttpToolStore();
  final InMemoryOutbox outbox = new InMemoryOutbox();
  final RunEngine engine;
  final MaestroServer server;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  TestServer(List<ReplayChatModel.Turn> turns, Path workdir) {
    ReplayChatModel model = ReplayChatModel.of(turns);
    HttpToolConfig http = HttpToolConfig.allowing("127.0.0.1");
    tools = new ToolRegistry(BuiltinTools.standard(http, List.of(), 64 * 1024));
    engine = RunEngine.builder().store(runs).tools(tools).models(model::resolved).listener(hub).build();
    var services = new Services(agents, runs, engine, tools, model::resolved, hub, () -> "in memory", List.of(), workdir,
        new HttpRequestTool(http), httpTools, outbox);
    server = MaestroServer.start(services, "127.0.0.1", 0);
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
  }

  Response put(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
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
  }
}
