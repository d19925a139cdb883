package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maestro approvals on a local database: a run waits on a DELETE, a person approves or rejects it from the command line. */
class ApprovalsCliTest {
  @TempDir Path dataDir;
  @TempDir Path work;
  Cli cli;
  String shop;

  @BeforeEach
  void setUp() throws Exception {
    shop = "jdbc:h2:file:" + work.resolve("shop");
    try (var c = DriverManager.getConnection(shop, "sa", ""); var st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(20))");
      st.execute("INSERT INTO orders VALUES (1, 'test'), (2, 'paid')");
    }
    Files.writeString(dataDir.resolve("config.yaml"),
        "datasources:\n  - {name: shop, url: \"" + shop + "\", user: sa, password: \"\", allow_writes: true}\n");
    Files.writeString(work.resolve("clean.jsonl"), """
        {"tool_calls": [{"name": "run_sql", "arguments": {"query": "DELETE FROM orders WHERE status = 'test'"}}]}
        {"text": "Final Answer: done as told"}
        """);
    Files.writeString(work.resolve("cleaner.yaml"), "id: cleaner\nmodel: replay:clean.jsonl\ntools: [run_sql]\n");
    cli = new Cli(dataDir);
  }

  private long rows() throws Exception {
    try (var c = DriverManager.getConnection(shop, "sa", ""); var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String waitingRequest() {
    var run = cli.run("run", work.resolve("cleaner.yaml").toString(), "clean up");
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Main.RUN_WAITING);
    assertThat(run.out()).contains("waiting for 1 approval of run_sql").contains("maestro approvals approve apr_");
    JsonNode pending = Json.tree(cli.run("approvals", "list", "--json").out());
    assertThat(pending).hasSize(1);
    return pending.get(0).path("id").asText();
  }

  @Test
  void approving_from_the_command_line_runs_the_call_and_finishes_the_run() throws Exception {
    String id = waitingRequest();
    assertThat(cli.run("approvals", "list").out()).contains(id).contains("run_sql").contains("high").contains("0/1");
    assertThat(cli.run("approvals", "show", id).out()).contains("DELETE FROM orders").contains("risk: high");

    var approve = cli.run("approvals", "approve", id, "--as", "alice", "--comment", "test rows only");

    assertThat(approve.code()).as(approve.err()).isZero();
    assertThat(approve.out()).contains(id + " approved").contains("completed");
    assertThat(rows()).isEqualTo(1);
    assertThat(cli.run("approvals", "list").out()).contains("Nothing is waiting");
    assertThat(cli.run("approvals", "list", "--status", "approved").out()).contains(id);
    var again = cli.run("approvals", "approve", id, "--as", "bob");
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("already approved");
  }

  @Test
  void rejecting_needs_a_comment_and_the_model_is_told_it() throws Exception {
    String id = waitingRequest();
    assertThat(cli.run("approvals", "reject", id).code()).as("the comment is required").isNotZero();

    var reject = cli.run("approvals", "reject", id, "--as", "bob", "--comment", "keep the test orders");

    assertThat(reject.code()).as(reject.err()).isZero();
    assertThat(reject.out()).contains("rejected by bob").contains("keep the test orders").contains("completed");
    assertThat(rows()).isEqualTo(2);
  }
}
