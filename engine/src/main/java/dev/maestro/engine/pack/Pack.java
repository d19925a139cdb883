package dev.maestro.engine.pack;

import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.workflow.Workflow;
import java.util.List;
import java.util.Optional;

/**
 * A domain pack: tools, agents and workflows for one job (Spark diagnosis, LLM spend, ...).
 * Packs are installed explicitly by the application; {@link java.util.ServiceLoader} discovery of
 * {@code dev.maestro.engine.pack.Pack} is a convenience on top.
 */
public interface Pack {

  /** Short lower-case id, also the CLI command group: {@code spark}, {@code spend}. */
  String id();

  /** One sentence for listings. */
  String description();

  /** Tools the pack adds to the workspace's registry. Called once per installation. */
  default List<Tool> tools(PackContext context) {
    return List.of();
  }

  /** Agents installed when the platform starts (created if missing, never overwritten). */
  default List<AgentSpec> agents() {
    return List.of();
  }

  /** Deterministic workflows that {@code kind: workflow} agents name. */
  default List<Workflow> workflows() {
    return List.of();
  }

  /**
   * What model calls cost, if the pack knows prices: the platform uses the first pack's that does,
   * for cost quotas and cost accounting.
   */
  default Optional<Pricing> pricing(PackContext context) {
    return Optional.empty();
  }

  /**
   * Command-line commands: picocli {@code @Command} objects the CLI adds as subcommands of {@code
   * maestro}. Typed as {@code Object} because the engine does not depend on picocli.
   */
  default List<Object> commands(PackContext context) {
    return List.of();
  }
}
