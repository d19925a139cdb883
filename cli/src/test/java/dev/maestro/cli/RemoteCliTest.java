package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent and run commands with --server act on a running server (here one in this process, over its own H2 database). */
class RemoteCliTest {
  @TempDir Path serverData;
  @TempDir Path clientData;
  Platform platform;
  Cli cli;
  String url;

  @BeforeEach
  void serve() {
    var env = Map.of("MAESTRO_DATA_DIR", serverData.toString(), "MAESTRO_WORKDIR", CliTest.EXAMPLE.getParent().getParent().getParent().toString());
    platform = Platform.start(MaestroConfig.load(null, null, env), "127.0.0.1", 0);
    url = platform.server.url().toString();
    cli = new Cli(clientData); // a different data directory: whatever works goes through the server
    cli.env.put("MAESTRO_TOKEN", platform.admin.secret());
  }

  @AfterEach
  void stop() {
    platform.stop(Duration.ofSeconds(5));
  }

  @Test
  void creates_runs_and_inspects_agents_through_the_server() {
    var created = cli.run("--server", url, "agents", "create", "-f", CliTest.EXAMPLE.toString());
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(cli.run("agents", "list", "--server", url).out()).contains("incident-analyst");
    assertThat(cli.run("agents", "list").out()).as("the local database is untouched").doesNotContain("incident-analyst");

    var run = cli.run("run", "incident-analyst", "Why did the deploy fail?", "--server", url);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("action: read_file").contains("lock held on payments").contains("Final answer:")
        .contains("completed · 3 steps · 2 tool calls");

    JsonNode runs = Json.tree(cli.run("runs", "list", "--json", "--server", url).out());
    String runId = runs.get(0).path("id").asText();
    assertThat(platform.app.runs.find(runId)).isPresent();
    assertThat(cli.run("runs", "show", runId, "--server", url).out()).contains("observation").contains("Final answer:");
    JsonNode doc = Json.tree(cli.run("runs", "show", runId, "--json", "--server", url).out());
    assertThat(doc.at("/run/status").asText()).isEqualTo("completed");
    assertThat(doc.get("events")).hasSize(17);

    assertThat(cli.run("agents", "pause", "incident-analyst", "--server", url).out()).contains("paused");
    var refused = cli.run("run", "incident-analyst", "again", "--server", url);
    assertThat(refused.code()).isEqualTo(Main.USAGE);
    assertThat(refused.err()).contains("paused");
    var resumeFinished = cli.run("runs", "resume", runId, "--server", url);
    assertThat(resumeFinished.code()).isEqualTo(Main.USAGE);
    assertThat(resumeFinished.err()).contains("already completed");
    assertThat(cli.run("runs", "show", "run_nope", "--server", url).err()).contains("no run 'run_nope'");
  }

  @Test
  void a_registered_http_tool_survives_a_restart() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var register = java.net.http.HttpRequest.newBuilder(platform.server.url().resolve("/api/apa/tools/register"))
        .header("Authorization", "Bearer " + platform.admin.secret())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"name\":\"owner_lookup\",\"description\":\"Finds owners.\",\"url\":\"https://tools.example.com/owner\",\"idempotent\":true}"))
        .build();
    assertThat(client.send(register, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
    platform.stop(Duration.ofSeconds(5));

    platform = Platform.start(MaestroConfig.load(null, null, Map.of("MAESTRO_DATA_DIR", serverData.toString())), "127.0.0.1", 0);

    assertThat(platform.admin.created()).as("the saved admin token still works after the restart").isFalse();
    var list = client.send(java.net.http.HttpRequest.newBuilder(platform.server.url().resolve("/api/apa/tools"))
            .header("Authorization", "Bearer " + platform.admin.secret()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    JsonNode tool = null;
    for (JsonNode t : Json.tree(list.body()).path("tools")) {
      if (t.path("name").asText().equals("owner_lookup")) {
        tool = t;
      }
    }
    assertThat(tool).isNotNull();
    assertThat(tool.path("source").asText()).isEqualTo("registered");
    assertThat(tool.path("url").asText()).isEqualTo("https://tools.example.com/owner");
    assertThat(tool.path("idempotent").asBoolean()).isTrue();
  }

  @Test
  void says_when_the_server_cannot_be_reached_or_the_url_is_wrong() {
    var down = cli.run("agents", "list", "--server", "http://127.0.0.1:1");
    assertThat(down.code()).isEqualTo(Main.RUN_FAILED);
    assertThat(down.err()).contains("cannot reach the Maestro server at http://127.0.0.1:1/").contains("maestro serve");

    var bad = cli.run("agents", "list", "--server", "localhost:8080");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("is not a server URL");

    var workdir = cli.run("run", "x", "y", "--workdir", "/tmp", "--server", url);
    assertThat(workdir.err()).contains("--workdir cannot be used with --server");
  }
}
