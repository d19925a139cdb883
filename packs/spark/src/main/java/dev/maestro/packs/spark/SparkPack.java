package dev.maestro.packs.spark;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.workflow.Workflow;
import java.util.List;

/**
 * The Spark pack: diagnoses Spark applications from their event logs without a language model
 * ({@code maestro spark analyze}), and gives agents tools to do the same.
 */
public final class SparkPack implements Pack {

  @Override
  public String id() {
    return "spark";
  }

  @Override
  public String description() {
    return "Diagnose Apache Spark applications from their event logs: findings, configuration advice, executor simulation, cost.";
  }

  static final String ANALYST = "spark-analyst";

  private static final String INSTRUCTIONS = """
      You answer questions about Apache Spark applications from their event logs. Start with spark_load_log on the
      log the user names, then use spark_summary, spark_findings, spark_stage_details, spark_simulate_executors and
      spark_recommend as the question needs. Quote the numbers the tools give (they use the names of Spark's REST API:
      executorRunTime is the sum of task run times in ms, shuffleReadBytes the bytes read by a stage's tasks, ...).
      Recommend configuration as --conf key=value with the finding it comes from. Never invent a number the tools did
      not give; say what you could not find out.""";

  @Override
  public List<Tool> tools(PackContext context) {
    return new SparkTools(new LoadedLogs(SparkSettings.from(context.settings()))).all();
  }

  @Override
  public List<AgentSpec> agents() {
    return List.of(
        new AgentSpec(ANALYST, "Spark analyst", "Answers questions about a Spark application from its event log.", AgentKind.REACT,
            "openai:gpt-4o-mini", INSTRUCTIONS, SparkTools.NAMES, null, null),
        new AgentSpec(SparkAdvisorWorkflow.ID, "Spark advisor",
            "Diagnoses a Spark event log (metadata, partitions, skew, runtime, cost) and recommends configuration, without a model.",
            AgentKind.WORKFLOW, null, "", SparkTools.NAMES, null, SparkAdvisorWorkflow.ID));
  }

  @Override
  public List<Workflow> workflows() {
    return List.of(new SparkAdvisorWorkflow());
  }

  @Override
  public List<Object> commands(PackContext context) {
    return List.of(new SparkCommand(SparkSettings.from(context.settings())));
  }
}
