package dev.maestro.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events whose data is HTML, for htmx's SSE extension ({@code sse-swap}): each event is
 * a fragment the page swaps in. A fragment's lines each become a {@code data:} line, as the format
 * requires, and the browser joins them back with newlines.
 */
final class HtmlEvents {
  private final Context ctx;
  private OutputStream out;

  HtmlEvents(Context ctx) {
    this.ctx = ctx;
  }

  private OutputStream out() throws IOException {
    if (out == null) {
      ctx.status(200);
      ctx.res().setContentType("text/event-stream;charset=utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      out = ctx.res().getOutputStream();
      out.write(": maestro console\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    return out;
  }

  /** Opens the stream now (headers and a comment), so the browser knows it is connected before the first event. */
  void open() throws IOException {
    out();
  }

  /** @param id the event's id, which the browser sends back as Last-Event-ID when it reconnects; null for none */
  void send(String id, String event, String html) throws IOException {
    var sb = new StringBuilder(html.length() + 64);
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    sb.append("event: ").append(event).append('\n');
    for (String line : html.split("\r?\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    sb.append('\n');
    OutputStream o = out();
    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  void heartbeat() throws IOException {
    OutputStream o = out();
    o.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
    o.flush();
  }
}
