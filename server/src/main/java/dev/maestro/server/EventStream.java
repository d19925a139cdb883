package dev.maestro.server;

import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends a run's events to one client: first what the log holds after the client's last event, then
 * live events as they are appended, until the run ends. The live subscription is opened before the
 * log is read and every event is sent by sequence number exactly once: nothing is missed between
 * the two, nothing is sent twice, and a gap (an event heard out of order) is filled from the log.
 */
final class EventStream {
  /** Where events go: an SSE response or a WebSocket. */
  interface Sink {
    /** @param id the SSE id (sequence number, or the workspace number) */
    void send(String id, String type, String json) throws IOException;

    /** Sends an event of a run's stream, encoded once for every subscriber. */
    default void send(EventHub.Shared event) throws IOException {
      send(Long.toString(event.event().seq()), event.event().event().type(), event.json());
    }

    /** Sends an event of a run's stream read from its log. */
    default void send(RecordedEvent event) throws IOException {
      send(Long.toString(event.seq()), event.event().type(), Json.write(event));
    }

    /** Sends an event of the workspace's stream, numbered by the hub. */
    default void send(EventHub.Numbered event) throws IOException {
      send(Long.toString(event.id()), event.event().event().type(), event.shared().json());
    }

    /** Keeps an idle connection open (and finds out if the client went away). */
    void heartbeat() throws IOException;
  }

  static final long HEARTBEAT_SECONDS = 15;

  private EventStream() {}

  /** The run's events after {@code afterSeq}, then live ones until it ends or the client goes. */
  static void run(EventHub hub, RunStore runs, String runId, long afterSeq, Sink sink) throws IOException, InterruptedException {
    try (var live = hub.subscribe(runId)) {
      if (runs.find(runId).isEmpty()) {
        throw new NotFoundException("no run '" + runId + "'");
      }
      long last = afterSeq;
      boolean ended = false;
      for (RecordedEvent e : runs.events(runId, last)) {
        send(sink, e);
        last = e.seq();
        ended = terminal(e);
      }
      while (!ended) {
        EventHub.Shared shared = live.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        if (shared == null) {
          if (live.overflowed()) {
            return; // fell behind: the client reconnects with Last-Event-ID
          }
          sink.heartbeat();
          continue;
        }
        RecordedEvent e = shared.event();
        if (e.seq() <= last) {
          continue;
        }
        if (e.seq() == last + 1) {
          sink.send(shared);
          last = e.seq();
          ended = terminal(e);
          continue;
        }
        for (RecordedEvent n : runs.events(runId, last)) { // heard out of order: fill the gap from the log
          send(sink, n);
          last = n.seq();
          ended = terminal(n);
        }
      }
    }
  }

  /** Every run's events from now on (or after {@code afterId}, when the hub still holds them), until the client goes. */
  static void workspace(EventHub hub, long afterId, Sink sink) throws IOException, InterruptedException {
    try (var live = hub.subscribeAll(afterId)) {
      if (!live.continued()) {
        sink.send(null, "reset", "{\"reason\":\"events after id " + afterId
            + " are no longer held here; reload the state you show, then follow from now on\"}");
      }
      while (true) {
        EventHub.Numbered n = live.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        if (n == null) {
          if (live.overflowed()) {
            return;
          }
          sink.heartbeat();
          continue;
        }
        sink.send(n);
      }
    }
  }

  private static void send(Sink sink, RecordedEvent e) throws IOException {
    sink.send(e);
  }

  /** One server-sent event: id (when given), event type, data. Compact JSON holds no raw newline. */
  static byte[] frame(String id, String type, String json) {
    var sb = new StringBuilder(json.length() + 64);
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    sb.append("event: ").append(type).append('\n');
    sb.append("data: ").append(json).append("\n\n");
    return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static boolean terminal(RecordedEvent e) {
    return e.event() instanceof RunEvent.RunCompleted || e.event() instanceof RunEvent.RunFailed || e.event() instanceof RunEvent.RunCancelled;
  }
}
