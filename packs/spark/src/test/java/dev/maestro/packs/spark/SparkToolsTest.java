package dev.maestro.packs.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.packs.spark.internal.ReportJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The six tools on the project's small log, called as the engine calls them. */
class SparkToolsTest {
  @TempDir
  Path dir;

  Map<String, Tool> tools;
  ToolContext context;

  @BeforeEach
  void setUp() {
    tools = new SparkPack().tools(new PackContext(dir, null, null)).stream().collect(Collectors.toMap(t -> t.spec().name(), t -> t));
    context = new ToolContext("run-1", "spark-analyst", dir);
    Fixtures.write(dir, "logs/app-1.zstd", Fixtures.compress(Fixtures.small(), "zstd"));
  }

  JsonNode call(String tool, String json) throws Exception {
    String observation = tools.get(tool).call(ReportJson.MAPPER.readTree(json), context);
    assertThat(observation.length()).isLessThanOrEqualTo(SparkTools.MAX_OBSERVATION + 200);
    return ReportJson.MAPPER.readTree(observation);
  }

  @Test
  void tools_read_logs_only_under_the_working_directory_and_the_configured_log_dirs(@TempDir Path elsewhere) throws Exception {
    Fixtures.write(elsewhere, "app-2.zstd", Fixtures.compress(Fixtures.small(), "zstd"));
    String outside = elsewhere.resolve("app-2.zstd").toString();

    assertThatThrownBy(() -> call("spark_load_log", "{\"path\":\"" + outside + "\"}"))
        .isInstanceOf(ToolException.class).hasMessageContaining("outside the run's working directory").hasMessageContaining("packs.spark.log_dirs");
    assertThatThrownBy(() -> call("spark_load_log", "{\"path\":\"../" + elsewhere.getFileName() + "/app-2.zstd\"}"))
        .isInstanceOf(ToolException.class).hasMessageContaining("outside");
    java.nio.file.Files.createSymbolicLink(dir.resolve("link.zstd"), elsewhere.resolve("app-2.zstd"));
    assertThatThrownBy(() -> call("spark_load_log", "{\"path\":\"link.zstd\"}"))
        .isInstanceOf(ToolException.class).hasMessageContaining("outside");

    var settings = ReportJson.MAPPER.createObjectNode();
    settings.putArray("log_dirs").add(elsewhere.toString());
    Map<String, Tool> allowed = new SparkPack().tools(new PackContext(dir, settings, null)).stream()
        .collect(Collectors.toMap(t -> t.spec().name(), t -> t));
    JsonNode o = ReportJson.MAPPER.readTree(allowed.get("spark_load_log").call(ReportJson.MAPPER.readTree("{\"path\":\"" + outside + "\"}"), context));
    assertThat(o.path("application").path("id").asText()).isEqualTo("app-1");
  }

  @Test
  void the_pack_registers_six_tools_with_object_schemas_requiring_a_path() {
    assertThat(tools.keySet()).containsExactlyInAnyOrderElementsOf(SparkTools.NAMES);
    assertThat(tools.values()).allSatisfy(t -> {
      assertThat(t.spec().parameters().path("required").toString()).contains("path");
      assertThat(t.spec().idempotent()).isTrue();
    });
  }

  @Test
  void load_log_gives_an_overview_with_paths_relative_to_the_working_directory() throws Exception {
    JsonNode o = call("spark_load_log", "{\"path\":\"logs/app-1.zstd\"}");
    assertThat(o.path("application").path("id").asText()).isEqualTo("app-1");
    assertThat(o.path("stages").asInt()).isEqualTo(2);
    assertThat(o.path("tasks").asInt()).isEqualTo(8);
    assertThat(o.path("failedTasks").asInt()).isEqualTo(1);
    assertThat(o.path("executors").asInt()).isEqualTo(2);
    assertThat(o.path("findingsBySeverity").path("severe").asInt()).isPositive();
  }

  @Test
  void stage_details_findings_simulation_and_recommendations() throws Exception {
    JsonNode stage = call("spark_stage_details", "{\"path\":\"logs/app-1.zstd\",\"stage_id\":0}");
    assertThat(stage.path("executorRunTime").asLong()).isEqualTo(7900);
    assertThat(stage.path("taskDuration").path("max").asLong()).isEqualTo(3000);
    JsonNode longest = call("spark_stage_details", "{\"path\":\"logs/app-1.zstd\"}");
    assertThat(longest.path("stages")).hasSize(2);

    JsonNode runtime = call("spark_findings", "{\"path\":\"logs/app-1.zstd\",\"category\":\"runtime\",\"min_severity\":\"severe\"}");
    assertThat(runtime.path("findings").findValuesAsText("id")).contains("executors-lost");
    JsonNode partitions = call("spark_findings", "{\"path\":\"logs/app-1.zstd\",\"category\":\"partitions\"}");
    assertThat(partitions.path("findings").findValuesAsText("id")).doesNotContain("executors-lost");

    JsonNode sim = call("spark_simulate_executors", "{\"path\":\"logs/app-1.zstd\",\"executors\":[1,2,8]}");
    assertThat(sim.path("estimates").findValuesAsText("executors")).containsExactly("1", "2", "8");
    assertThat(sim.path("observedExecutors").asInt()).isEqualTo(2);
    // one executor of 2 cores runs the 7 successful tasks (10.5 s of task time) in at least 5.25 s
    assertThat(sim.path("estimates").get(0).path("estimatedTime").asLong()).isGreaterThan(sim.path("estimates").get(1).path("estimatedTime").asLong());

    JsonNode rec = call("spark_recommend", "{\"path\":\"logs/app-1.zstd\"}");
    assertThat(rec.path("sparkSubmit").asText()).startsWith("spark-submit --conf ");
    assertThat(rec.path("recommendations").findValuesAsText("key")).contains("spark.executor.memoryOverhead");

    JsonNode summary = call("spark_summary", "{\"path\":\"logs/app-1.zstd\"}");
    assertThat(summary.path("time").path("wallClockTime").asLong()).isEqualTo(10_000);
    assertThat(summary.path("cost").path("coreHours").asDouble()).isPositive();
  }

  @Test
  void mistakes_are_explained_to_the_model() {
    assertThatThrownBy(() -> call("spark_summary", "{}")).isInstanceOf(ToolException.class).hasMessageContaining("'path' is missing");
    assertThatThrownBy(() -> call("spark_summary", "{\"path\":\"logs/nope.zstd\"}")).isInstanceOf(ToolException.class)
        .hasMessageContaining("no event log at 'logs/nope.zstd'");
    assertThatThrownBy(() -> call("spark_stage_details", "{\"path\":\"logs/app-1.zstd\",\"stage_id\":99}")).isInstanceOf(ToolException.class)
        .hasMessageContaining("there is no stage 99; stage ids run from 0 to 1");
    assertThatThrownBy(() -> call("spark_findings", "{\"path\":\"logs/app-1.zstd\",\"category\":\"weather\"}")).isInstanceOf(ToolException.class)
        .hasMessageContaining("unknown category 'weather'");
    Fixtures.write(dir, "logs/notes.txt", "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> call("spark_load_log", "{\"path\":\"logs/notes.txt\"}")).isInstanceOf(ToolException.class)
        .hasMessageContaining("not a Spark event log");
  }

  @Test
  void pack_settings_choose_the_instance_price() throws Exception {
    ObjectNode settings = ReportJson.MAPPER.createObjectNode();
    settings.put("instance_type", "big");
    settings.putObject("instance_types").putObject("big").put("vcpus", 2).put("memory_gb", 8).put("price_per_hour", 2.0);
    List<Tool> priced = new SparkPack().tools(new PackContext(dir, settings, null));
    Tool summary = priced.stream().filter(t -> t.spec().name().equals("spark_summary")).findFirst().orElseThrow();
    JsonNode cost = ReportJson.MAPPER.readTree(summary.call(ReportJson.MAPPER.readTree("{\"path\":\"logs/app-1.zstd\"}"), context)).path("cost");
    assertThat(cost.path("instanceType").asText()).isEqualTo("big");
    assertThat(cost.path("pricePerHour").asDouble()).isEqualTo(2.0);
    settings.put("instance_type", "tiny");
    assertThatThrownBy(() -> SparkSettings.from(settings)).hasMessageContaining("instance type 'tiny' is not in the price catalog");
  }
}
