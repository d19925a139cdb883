package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live events over SSE and WebSocket: a client that connects mid-run, or reconnects, sees every event exactly once. */
class EventStreamsTest {
  static final String AGENT = "{\"id\":\"slow\",\"model\":\"replay:x\",\"tools\":[\"read_file\"]}";
  static final int CALLS = 6;

  @TempDir Path workdir;
  TestServer t;

  /** Six slow turns each reading a file that is not there (an observation all the same), then an answer. */
  static List<Turn> slowTurns() {
    var turns = new ArrayList<Turn>();
    for (int i = 0; i < CALLS; i++) {
      turns.add(new Turn(null, List.of(new Call(null, "read_file", Json.tree("{\"path\":\"missing-" + i + ".txt\"}"))), 10, 2, 0, 60));
    }
    turns.add(new Turn("Final Answer: done", null, 10, 2, 0, 60));
    return turns;
  }

  @BeforeEach
  void start() {
    t = new TestServer(slowTurns(), workdir);
    assertThat(t.post("/api/apa/agents", AGENT).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private String startRun() {
    return t.post("/api/apa/runs", "{\"agent_id\":\"slow\",\"input\":\"go\"}").json().path("id").asText();
  }

  @Test
  void a_client_joining_mid_run_and_reconnecting_gets_every_event_exactly_once() throws Exception {
    String runId = startRun();
    Thread.sleep(150); // a few events are in the log already
    var seen = new ArrayList<SseReader.Event>();
    try (var sse = new SseReader(t.client, t.authorized("/api/apa/runs/" + runId + "/events"), null)) {
      assertThat(sse.status).isEqualTo(200);
      for (int i = 0; i < 8; i++) {
        seen.add(sse.next());
      }
    } // dropped mid-run
    String lastId = seen.getLast().id();
    try (var sse = new SseReader(t.client, t.authorized("/api/apa/runs/" + runId + "/events"), lastId)) {
      for (var e = sse.next(); e != null; e = sse.next()) {
        seen.add(e);
      }
    }

    JsonNode run = t.awaitRun(runId);
    long last = run.path("last_seq").asLong();
    assertThat(seen).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(seen.getFirst().type()).isEqualTo("run_created");
    assertThat(seen.getLast().type()).isEqualTo("run_completed");
    assertThat(Json.tree(seen.getLast().data()).at("/event/output").asText()).isEqualTo("done");
    assertThat(seen).allSatisfy(e -> assertThat(Json.tree(e.data()).path("run_id").asText()).isEqualTo(runId));
  }

  @Test
  void a_finished_run_streams_its_log_and_ends_and_an_unknown_run_is_404() throws Exception {
    String runId = startRun();
    long last = t.awaitRun(runId).path("last_seq").asLong();

    var seen = new ArrayList<SseReader.Event>();
    try (var sse = new SseReader(t.client, t.authorized("/api/apa/runs/" + runId + "/events?after=3"), null)) {
      for (var e = sse.next(); e != null; e = sse.next()) {
        seen.add(e);
      }
    }
    assertThat(seen).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(LongStream.rangeClosed(4, last).boxed().toList());
    ServerApiTest.assertProblem(t.get("/api/apa/runs/run_nope/events"), 404, "no run 'run_nope'");
    ServerApiTest.assertProblem(t.get("/api/apa/runs/" + runId + "/events?after=soon"), 400, "not a sequence number");
  }

  @Test
  void the_workspace_stream_carries_every_run_and_continues_after_a_reconnect() throws Exception {
    var seen = new ArrayList<SseReader.Event>();
    String runId;
    try (var sse = new SseReader(t.client, t.authorized("/api/apa/events"), null)) {
      runId = startRun();
      for (int i = 0; i < 5; i++) {
        seen.add(sse.next());
      }
    }
    try (var sse = new SseReader(t.client, t.authorized("/api/apa/events"), seen.getLast().id())) {
      for (var e = sse.next(); e != null; e = sse.next()) {
        seen.add(e);
        if (e.type().equals("run_completed")) {
          break;
        }
      }
    }
    long last = t.awaitRun(runId).path("last_seq").asLong();
    assertThat(seen).extracting(e -> Json.tree(e.data()).path("seq").asLong())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(seen).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void the_websocket_carries_a_runs_events_until_it_ends() throws Exception {
    String runId = startRun();
    var messages = new CopyOnWriteArrayList<JsonNode>();
    var closed = new CompletableFuture<Integer>();
    URI ws = URI.create(t.server.url().toString().replace("http://", "ws://") + "/ws?run_id=" + runId + "&access_token=" + t.token);
    WebSocket socket = t.client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
      final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          messages.add(Json.tree(partial.toString()));
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);

    assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
    long last = t.awaitRun(runId).path("last_seq").asLong();
    assertThat(messages).extracting(m -> m.path("id").asLong()).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(messages.getLast().path("type").asText()).isEqualTo("run_completed");
    socket.abort();
  }
}
