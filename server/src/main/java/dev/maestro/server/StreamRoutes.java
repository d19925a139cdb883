package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.internal.Json;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Live events (server-sent events and a WebSocket), health and metrics. */
final class StreamRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(StreamRoutes.class);
  private final Workspaces workspaces;
  private final Auth auth;
  private final Metrics metrics;
  private final Map<String, Thread> sockets = new ConcurrentHashMap<>();

  StreamRoutes(Workspaces workspaces, Auth auth, Metrics metrics) {
    this.workspaces = workspaces;
    this.auth = auth;
    this.metrics = metrics;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/runs/{id}/events", "events",
            "The run's events as server-sent events: the log from the start (or after Last-Event-ID / ?after=SEQ), then live until the run ends;"
                + " with Accept: application/json, the log so far as one JSON document",
            "text/event-stream", ctx -> runEvents(ctx), new Route.Param("after", "send events after this sequence number (as Last-Event-ID)")),
        Route.get("/api/apa/events", "events",
            "Events of every run in the workspace as server-sent events, live (after Last-Event-ID when still held)",
            "text/event-stream", this::workspaceEvents),
        Route.get("/health", "operations", "Whether the database is reachable and which model providers are configured", "Health",
            this::health).requires(null),
        Route.get("/metrics", "operations", "Prometheus metrics: runs by status, step and model latency, tokens, tool calls", "text/plain",
            ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape())).requires(null));
  }

  private void runEvents(Context ctx) throws IOException, InterruptedException {
    String runId = ctx.pathParam("id");
    long after = lastEventId(ctx, ctx.queryParam("after"));
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("application/json") && !accept.contains("text/event-stream")) {
      Services services = services(ctx);
      if (services.runs().find(runId).isEmpty()) {
        throw new dev.maestro.engine.NotFoundException("no run '" + runId + "'");
      }
      ObjectNode doc = Json.MAPPER.createObjectNode();
      doc.put("run_id", runId);
      doc.set("events", Json.MAPPER.valueToTree(services.runs().events(runId, after)));
      RunRoutes.json(ctx, doc);
      return;
    }
    EventStream.run(services(ctx).events(), services(ctx).runs(), runId, after, new SseSink(ctx));
  }

  private void workspaceEvents(Context ctx) throws IOException, InterruptedException {
    EventStream.workspace(services(ctx).events(), lastEventId(ctx, null), new SseSink(ctx));
  }

  private void health(Context ctx) {
    Services services = workspaces.open(Workspaces.DEFAULT);
    ObjectNode doc = Json.MAPPER.createObjectNode();
    ObjectNode db = doc.putObject("database");
    boolean up;
    try {
      db.put("status", "up");
      db.put("description", services.database().call());
      up = true;
    } catch (Exception e) {
      db.put("status", "down");
      db.put("error", String.valueOf(e.getMessage()));
      up = false;
    }
    ObjectNode models = doc.putObject("models");
    models.put("configured", !services.modelProviders().isEmpty());
    models.set("providers", Json.MAPPER.valueToTree(services.modelProviders()));
    if (services.modelProviders().isEmpty()) {
      models.put("hint", "no provider is configured: agents can use replay: models; set OPENAI_API_KEY, ANTHROPIC_API_KEY or MAESTRO_OLLAMA_BASE_URL for real ones");
    }
    doc.put("status", up ? "up" : "down");
    ctx.status(up ? 200 : 503);
    RunRoutes.json(ctx, doc);
  }

  /** The WebSocket at /ws: the workspace's events, or one run's with {@code ?run_id=ID[&after=SEQ]}; each message is one event as JSON. */
  void websocket(WsConfig ws) {
    ws.onConnect(ctx -> {
      Services services;
      try {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : ctx.queryParam("access_token");
        services = auth.services(auth.authenticate(token == null ? ctx.cookie(Auth.COOKIE) : token));
      } catch (MaestroException e) {
        ctx.closeSession(4000 + Problems.status(e), e.getMessage());
        return;
      }
      ctx.enableAutomaticPings();
      String runId = ctx.queryParam("run_id");
      long after = parseAfter(ctx.queryParam("after"));
      var sink = new WsSink(ctx);
      Thread thread = Thread.ofVirtual().name("ws-" + ctx.sessionId()).start(() -> {
        try {
          if (runId == null || runId.isBlank()) {
            EventStream.workspace(services.events(), after, sink);
          } else {
            EventStream.run(services.events(), services.runs(), runId, after, sink);
          }
          ctx.closeSession(1000, "the run ended");
        } catch (MaestroException e) {
          ctx.closeSession(4000 + Problems.status(e), e.getMessage());
        } catch (InterruptedException e) {
          // the client went away
        } catch (Exception e) {
          LOG.debug("websocket {} ended: {}", ctx.sessionId(), e.toString());
        } finally {
          sockets.remove(ctx.sessionId());
        }
      });
      sockets.put(ctx.sessionId(), thread);
    });
    ws.onClose(ctx -> {
      Thread thread = sockets.remove(ctx.sessionId());
      if (thread != null) {
        thread.interrupt();
      }
    });
  }

  private static long lastEventId(Context ctx, String fallback) {
    String header = ctx.header("Last-Event-ID");
    return parseAfter(header != null && !header.isBlank() ? header : fallback);
  }

  private static long parseAfter(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("the last event id '" + value + "' is not a sequence number; send the id of the last event received");
    }
  }

  /** Writes server-sent events straight to the response, flushing each one. */
  private static final class SseSink implements EventStream.Sink {
    private final Context ctx;
    private OutputStream out;

    SseSink(Context ctx) {
      this.ctx = ctx;
    }

    private OutputStream out() throws IOException {
      if (out == null) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        out = ctx.res().getOutputStream();
        out.write(": maestro event stream\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return out;
    }

    @Override
    public void send(String id, String type, String json) throws IOException {
      write(EventStream.frame(id, type, json));
    }

    @Override
    public void send(EventHub.Shared event) throws IOException {
      write(event.runFrame());
    }

    private void write(byte[] frame) throws IOException {
      OutputStream o = out();
      o.write(frame);
      o.flush();
    }

    @Override
    public void heartbeat() throws IOException {
      OutputStream o = out();
      o.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
      o.flush();
    }
  }

  private static final class WsSink implements EventStream.Sink {
    private final WsContext ctx;

    WsSink(WsContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void send(String id, String type, String json) throws IOException {
      if (!ctx.session.isOpen()) {
        throw new IOException("the WebSocket closed");
      }
      ctx.send("{\"id\":" + (id == null ? "null" : "\"" + id + "\"") + ",\"type\":\"" + type + "\",\"data\":" + json + "}");
    }

    @Override
    public void heartbeat() throws IOException {
      if (!ctx.session.isOpen()) {
        throw new IOException("the WebSocket closed");
      }
    }
  }
}
