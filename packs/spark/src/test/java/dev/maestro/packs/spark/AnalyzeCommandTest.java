package dev.maestro.packs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.packs.spark.internal.ReportJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code maestro spark analyze} through picocli, as the CLI runs it: real files in, real output checked. */
class AnalyzeCommandTest {
  @TempDir
  Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = new CommandLine(new SparkCommand(SparkSettings.DEFAULTS));
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    // as the maestro CLI does: our exceptions become one line on standard error and exit code 2
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof MaestroException m) {
        commandLine.getErr().println("error: " + m.getMessage());
        return m instanceof InvalidInputException ? 2 : 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Test
  void writes_a_markdown_report_with_findings_and_configuration() {
    Path log = Fixtures.write(dir, "app-1.zstd", Fixtures.compress(Fixtures.small(), "zstd"));
    assertThat(run("analyze", log.toString())).isZero();
    String md = out.toString();
    assertThat(md).startsWith("# Spark application small (app-1)");
    assertThat(md).contains("## Findings", "| severe | Executors lost |", "out of memory", "## Recommended configuration",
        "--conf spark.executor.memoryOverhead=", "## Time and executors", "## Cost", "## Longest stages", "| 0 | map at Small.scala:10 |");
    assertThat(md).contains("1 malformed lines skipped (line 21)");
  }

  @Test
  void writes_json_with_the_rest_api_field_names_to_a_file() throws Exception {
    Path log = Fixtures.write(dir, "app-1", Fixtures.small());
    Path report = dir.resolve("reports/app-1.json");
    assertThat(run("analyze", log.toString(), "--format", "json", "--out", report.toString())).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("wrote " + report);
    JsonNode json = ReportJson.MAPPER.readTree(Files.readString(report));
    JsonNode stage = json.path("stages").get(0);
    assertThat(stage.path("stageId").asInt()).isZero();
    assertThat(stage.path("numCompleteTasks").asInt()).isEqualTo(4);
    assertThat(stage.path("executorRunTime").asLong()).isEqualTo(7900);
    assertThat(json.path("jobs").get(0).path("numCompletedTasks").asInt()).isEqualTo(6);
    assertThat(json.path("executors").get(1).path("totalGCTime").asLong()).isEqualTo(150);
    assertThat(json.path("findings").get(0).path("severity").asText()).isIn("severe", "critical");
  }

  @Test
  void writes_a_self_contained_html_page() {
    Path log = Fixtures.write(dir, "app-1.gz", Fixtures.compress(Fixtures.small(), "gz"));
    assertThat(run("analyze", log.toString(), "--format", "html")).isZero();
    assertThat(out.toString()).startsWith("<!DOCTYPE html>").contains("<table>", "<tr class=\"severe\">", "map at Small.scala:10").endsWith("</html>\n");
  }

  @Test
  void a_directory_of_applications_gets_a_summary_table_and_a_bad_log_exit_code_1() {
    for (String id : new String[] {"app-7", "app-8"}) {
      String text = new String(Fixtures.small(), StandardCharsets.UTF_8).replace("app-1", id);
      Fixtures.write(dir, id + ".lz4", Fixtures.compress(text.getBytes(StandardCharsets.UTF_8), "lz4"));
    }
    Fixtures.write(dir, "junk", "hello\n".getBytes(StandardCharsets.UTF_8));
    assertThat(run("analyze", dir.toString(), "--threads", "2", "--progress", "always")).isEqualTo(1);
    String md = out.toString();
    assertThat(md).startsWith("# 3 Spark event logs").contains("| application | name | duration |", "| app-7 | small |", "| app-8 | small |",
        "error: ", "# Spark application small (app-8)");
    assertThat(err.toString()).contains("could not analyse").contains("junk");
  }

  @Test
  void bad_input_is_one_line_on_standard_error_and_exit_code_2() {
    Path zip = Fixtures.write(dir, "app-1", new byte[] {'P', 'K', 3, 4, '\n'});
    assertThat(run("analyze", zip.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: not a Spark event log: line 1").doesNotContain("Exception");
    assertThat(run("analyze", dir.resolve("app-1.rar").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void the_pack_is_discovered_and_contributes_the_spark_command() {
    var packs = java.util.ServiceLoader.load(dev.maestro.engine.pack.Pack.class).stream().map(java.util.ServiceLoader.Provider::get).toList();
    assertThat(packs).extracting(dev.maestro.engine.pack.Pack::id).contains("spark");
    var pack = packs.stream().filter(p -> p.id().equals("spark")).findFirst().orElseThrow();
    var context = new dev.maestro.engine.pack.PackContext(dir, null, null);
    CommandLine cli = new CommandLine(pack.commands(context).getFirst());
    assertThat(cli.getCommandName()).isEqualTo("spark");
    assertThat(cli.getSubcommands()).containsKey("analyze");
  }
}
