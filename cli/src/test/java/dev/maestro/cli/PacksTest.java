package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packs on the class path (here {@link ShoutPack}) bring their tools, workflows, agents and commands. */
class PacksTest {
  @TempDir Path dataDir;
  @TempDir Path other;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dataDir);
  }

  @Test
  void a_pack_command_is_a_subcommand_told_the_data_directory_and_its_settings() throws IOException {
    var plain = cli.run("shout", "hello");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).contains("HELLO (data " + dataDir.toAbsolutePath().normalize() + ", volume unset)");

    Files.writeString(other.resolve("config.yaml"), "packs:\n  shout:\n    volume: loud\n");
    var configured = cli.run("--data-dir", other.toString(), "shout", "hey");
    assertThat(configured.out()).contains("HEY (data " + other.toAbsolutePath().normalize() + ", volume loud)");
    assertThat(cli.run("shout", "--data-dir=" + other, "hey").out()).contains("volume loud");
  }

  @Test
  void runs_the_agent_a_pack_installs_through_its_workflow() {
    assertThat(cli.run("agents", "list").out()).contains("shouter").contains("enabled");

    var run = cli.run("run", "shouter", "hello");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("shouting once").contains("action: shout").contains("HELLO AGAIN");
  }

  @Test
  void a_deleted_pack_agent_stays_deleted() {
    assertThat(cli.run("agents", "delete", "shouter").code()).isZero();

    assertThat(cli.run("agents", "list").out()).doesNotContain("shouter");
    assertThat(cli.run("run", "shouter", "x").err()).contains("no agent 'shouter'");
  }

  @Test
  void the_spend_pack_prices_this_installations_own_runs() {
    var agent = new dev.maestro.engine.agent.AgentSpec("writer", null, null, null, "openai:gpt-4o", null, java.util.List.of(), null);
    var at = java.time.Instant.parse("2026-11-20T10:00:00Z");
    try (var stores = dev.maestro.store.jdbc.JdbcStores.openH2(dataDir)) {
      var runs = stores.runs(Application.WORKSPACE);
      runs.append("run-1", 0, at, java.util.List.of(new dev.maestro.engine.run.RunEvent.RunCreated("writer", agent, "write", "openai:gpt-4o", "/tmp")));
      runs.append("run-1", 1, at, java.util.List.of(
          new dev.maestro.engine.run.RunEvent.ModelCalled(1, "openai:gpt-4o", "done", java.util.List.of(), 1000, 100, 0, 800, "stop"),
          new dev.maestro.engine.run.RunEvent.RunCompleted("done")));
    }

    var report = cli.run("spend", "analyze", "--maestro-runs", "--format", "json", "--quiet");

    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.err()).contains("read the model calls of 1 Maestro run(s)");
    var json = dev.maestro.engine.internal.Json.tree(report.out());
    assertThat(json.at("/summary/requests").asLong()).isEqualTo(1);
    assertThat(json.at("/summary/inputTokens").asLong()).isEqualTo(1000);
    assertThat(json.at("/summary/totalCostUsd").decimalValue()).isEqualByComparingTo("0.0035");
    var nothing = cli.run("spend", "analyze");
    assertThat(nothing.code()).isEqualTo(Main.USAGE);
    assertThat(nothing.err()).contains("nothing to analyse");
  }

  @Test
  void a_broken_configuration_file_is_reported_before_anything_runs() throws IOException {
    Files.writeString(dataDir.resolve("config.yaml"), "packs: [unclosed\n");

    var result = cli.run("shout", "x");

    assertThat(result.code()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("config.yaml is not valid YAML");
  }
}
