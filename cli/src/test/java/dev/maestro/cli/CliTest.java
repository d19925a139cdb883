package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maestro command end to end, in process, on an H2 database in a temporary data directory. */
class CliTest {
  /** The quickstart example, found from the module directory where tests run. */
  static final Path EXAMPLE = Path.of("..", "examples", "quickstart", "agent.yaml").toAbsolutePath().normalize();

  @TempDir Path dataDir;
  @TempDir Path work;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dataDir);
  }

  @Test
  void runs_the_quickstart_example_and_shows_its_trace() {
    var result = cli.run("run", EXAMPLE.toString(), "Why did last night's deploy fail?", "--workdir", EXAMPLE.getParent().getParent().getParent().toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("action: read_file {\"path\":\"examples/quickstart/deploy.log\"}")
        .contains("lock held on payments for 151.9s")
        .contains("Final answer:")
        .contains("CREATE INDEX CONCURRENTLY")
        .contains("completed · 3 steps · 2 tool calls · 2956 tokens");

    var list = cli.run("runs", "list");
    assertThat(list.out()).contains("incident-analyst").contains("completed");
    String runId = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

    var show = cli.run("runs", "show", runId);
    assertThat(show.code()).isZero();
    assertThat(show.out()).contains("step 1").contains("observation").contains("Final answer:");

    JsonNode json = Json.tree(cli.run("runs", "show", runId, "--json").out());
    assertThat(json.at("/run/status").asText()).isEqualTo("completed");
    assertThat(json.at("/run/cached_tokens").asLong()).isEqualTo(1280);
    assertThat(json.get("events")).hasSize(17); // with a safety_decision before each of the two tool calls
    for (int i = 0; i < json.get("events").size(); i++) {
      assertThat(json.get("events").get(i).get("seq").asLong()).isEqualTo(i + 1);
    }
  }

  @Test
  void json_output_holds_the_run_and_its_events() {
    var result = cli.run("run", EXAMPLE.toString(), "go", "--json", "--workdir", EXAMPLE.getParent().getParent().getParent().toString());

    assertThat(result.code()).isZero();
    JsonNode doc = Json.tree(result.out());
    assertThat(doc.at("/run/output").asText()).contains("CONCURRENTLY");
    assertThat(doc.at("/events/0/event/type").asText()).isEqualTo("run_created");
  }

  @Test
  void agent_lifecycle_create_list_pause_enable_delete() throws IOException {
    assertThat(cli.run("agents", "list").out()).doesNotContain("incident-analyst");
    var created = cli.run("agents", "create", "-f", EXAMPLE.toString());
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(cli.run("agents", "list").out()).contains("incident-analyst").contains("created").contains("read_file");

    assertThat(cli.run("agents", "pause", "incident-analyst").out()).contains("paused");
    var refused = cli.run("run", "incident-analyst", "go");
    assertThat(refused.code()).isEqualTo(Main.USAGE);
    assertThat(refused.err()).contains("paused").contains("maestro agents enable incident-analyst");

    assertThat(cli.run("agents", "enable", "incident-analyst").out()).contains("enabled");
    var ran = cli.run("run", "incident-analyst", "go", "--no-follow", "--workdir", EXAMPLE.getParent().getParent().getParent().toString());
    assertThat(ran.code()).as(ran.err()).isZero();
    assertThat(ran.out()).doesNotContain("thought:").contains("completed");

    assertThat(cli.run("agents", "delete", "incident-analyst").code()).isZero();
    assertThat(cli.run("agents", "list").out()).doesNotContain("incident-analyst");
    var gone = cli.run("run", "incident-analyst", "go");
    assertThat(gone.code()).isEqualTo(Main.USAGE);
    assertThat(gone.err()).contains("no agent 'incident-analyst'");
  }

  @Test
  void bad_agent_files_get_errors_that_name_the_problem() throws IOException {
    Path bad = Files.writeString(work.resolve("bad.yaml"), "id: Bad Id\nmodel: openai:gpt-4o-mini\n");
    var r1 = cli.run("agents", "create", "-f", bad.toString());
    assertThat(r1.code()).isEqualTo(Main.USAGE);
    assertThat(r1.err()).contains("agent id 'Bad Id' is not valid");

    Path unknown = Files.writeString(work.resolve("unknown.yaml"), "id: a\nmodel: openai:x\ntemperature: 2\n");
    assertThat(cli.run("agents", "create", "-f", unknown.toString()).err()).contains("unknown field 'temperature'");

    Path noModel = Files.writeString(work.resolve("nomodel.json"), "{\"id\": \"a\"}");
    assertThat(cli.run("agents", "create", "-f", noModel.toString()).err()).contains("has no 'model'");

    assertThat(cli.run("agents", "create", "-f", work.resolve("missing.yaml").toString()).err()).contains("does not exist");
    assertThat(cli.run("runs", "show", "run_nope").err()).contains("no run 'run_nope'");
    assertThat(cli.run("runs", "list", "--status", "sleeping").err()).contains("run status 'sleeping' is not one of");
  }

  @Test
  void a_missing_api_key_fails_the_run_naming_the_variable() throws IOException {
    Path agent = Files.writeString(work.resolve("a.yaml"), "id: keyless\nmodel: openai:gpt-4o-mini\n");
    var result = cli.run("run", agent.toString(), "hello");

    assertThat(result.code()).isEqualTo(Main.RUN_FAILED);
    assertThat(result.out()).contains("model_unavailable").contains("OPENAI_API_KEY");
  }

  @Test
  void an_unreachable_provider_fails_the_run_naming_the_url_variable() throws IOException {
    Path agent = Files.writeString(work.resolve("a.yaml"), "id: local\nmodel: openai:some-model\n");
    cli.env.put("MAESTRO_OPENAI_BASE_URL", "http://127.0.0.1:9/v1"); // discard port: nothing listens
    var result = cli.run("run", agent.toString(), "hello");

    assertThat(result.code()).isEqualTo(Main.RUN_FAILED);
    assertThat(result.out()).contains("cannot reach http://127.0.0.1:9/v1").contains("MAESTRO_OPENAI_BASE_URL");
  }

  @Test
  void a_malformed_database_url_is_refused_with_the_expected_form() {
    cli.env.put("MAESTRO_DB_URL", "postgres://localhost/x");
    var result = cli.run("agents", "list");
    assertThat(result.code()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("jdbc:postgresql://HOST:5432/DB");
  }

  @Test
  void read_file_cannot_leave_the_working_directory() throws IOException {
    Files.writeString(work.resolve("t.jsonl"), """
        {"tool_calls": [{"name": "read_file", "arguments": {"path": "../secret.txt"}}]}
        {"text": "Final Answer: refused"}
        """);
    Path agent = Files.writeString(work.resolve("a.yaml"), "id: reader\nmodel: replay:t.jsonl\ntools: [read_file]\n");
    Path inner = Files.createDirectories(work.resolve("inner"));
    var result = cli.run("run", agent.toString(), "read it", "--workdir", inner.toString());

    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("observation: error:").contains("../secret.txt");
  }
}
