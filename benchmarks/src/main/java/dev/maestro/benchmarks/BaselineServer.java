package dev.maestro.benchmarks;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@link ServerLoad}: Javalin configured as Maestro's server is (Jetty, handlers on
 * virtual threads, loopback) but doing nothing of its own. {@code GET /baseline/run} and {@code
 * POST /baseline/run} answer a fixed body (a finished run's JSON, the same bytes the API sends);
 * {@code GET /baseline/events} is an event stream fed by {@link #publish}: the events are
 * pre-encoded once, queued per subscriber and written and flushed one by one, as the API's SSE
 * sink does. What the API costs above these is Maestro's own work.
 */
final class BaselineServer implements AutoCloseable {
  /** One pre-encoded server-sent event. */
  record Event(long seq, byte[] bytes, boolean last) {}

  private final Javalin app;
  private final Set<LinkedBlockingQueue<Event>> subscribers = ConcurrentHashMap.newKeySet();
  private volatile List<Event> history = List.of();

  BaselineServer(String runJson) {
    byte[] body = runJson.getBytes(StandardCharsets.UTF_8);
    app = Javalin.create(config -> {
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.routes.get("/baseline/run", ctx -> ctx.contentType("application/json").result(body));
      config.routes.post("/baseline/run", ctx -> {
        ctx.body(); // read what was sent, as the API does
        ctx.status(201).contentType("application/json").result(body);
      });
      config.routes.get("/baseline/events", this::events);
    });
    app.start();
  }

  int port() {
    return app.port();
  }

  /** Events a subscriber receives as soon as it connects (the log so far, for the API). */
  void history(List<Event> events) {
    history = List.copyOf(events);
  }

  /** Hands one event to every connected subscriber. */
  void publish(Event e) {
    for (LinkedBlockingQueue<Event> q : subscribers) {
      q.offer(e);
    }
  }

  private void events(Context ctx) throws IOException, InterruptedException {
    var queue = new LinkedBlockingQueue<Event>();
    subscribers.add(queue);
    try {
      ctx.status(200);
      ctx.res().setContentType("text/event-stream;charset=utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      OutputStream out = ctx.res().getOutputStream();
      out.write(": baseline event stream\n\n".getBytes(StandardCharsets.UTF_8));
      for (Event e : history) {
        out.write(e.bytes());
      }
      out.flush();
      while (true) {
        Event e = queue.poll(60, TimeUnit.SECONDS);
        if (e == null) {
          return;
        }
        out.write(e.bytes());
        out.flush();
        if (e.last()) {
          return;
        }
      }
    } finally {
      subscribers.remove(queue);
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
