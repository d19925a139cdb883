package dev.maestro.packs.spend;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.packs.spend.internal.SpendCommand;
import dev.maestro.packs.spend.internal.SpendSettings;
import dev.maestro.packs.spend.internal.SpendTools;
import dev.maestro.packs.spend.internal.SpendWorkflow;
import java.util.List;
import java.util.Optional;

/**
 * The spend pack: analyses LLM and agent usage, prices it from a built-in catalog, finds waste and
 * recommends cheaper models and providers. Contributes the {@code maestro spend} commands, four
 * tools, the {@code spend-analysis} workflow and the {@code spend-analyst} agent that runs it.
 */
public final class SpendPack implements Pack {

  @Override
  public String id() {
    return "spend";
  }

  @Override
  public String description() {
    return "Analyse LLM and agent usage: what it costs, where, the waste in it and cheaper models and providers.";
  }

  @Override
  public List<Tool> tools(PackContext context) {
    SpendSettings settings = SpendSettings.from(context.settings());
    PriceCatalog catalog = catalog(settings);
    AnalysisOptions options = settings.priceOverrides() == null ? AnalysisOptions.DEFAULT
        : AnalysisOptions.DEFAULT.withDeployments(AnalysisOptions.deploymentsIn(settings.priceOverrides()));
    return new SpendTools(() -> catalog, options).all();
  }

  /** Prices from the built-in catalog (and the configured overrides), by the model reference's provider and name. */
  @Override
  public Optional<Pricing> pricing(PackContext context) {
    PriceCatalog catalog = catalog(SpendSettings.from(context.settings()));
    return Optional.of((model, usage) -> {
      ModelRef ref;
      try {
        ref = ModelRef.parse(model);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
      return catalog.price(ref.provider(), ref.name(), usage);
    });
  }

  private static PriceCatalog catalog(SpendSettings settings) {
    return settings.priceOverrides() == null ? PriceCatalog.builtIn() : PriceCatalog.builtIn().withOverrides(settings.priceOverrides());
  }

  @Override
  public List<AgentSpec> agents() {
    return List.of(new AgentSpec("spend-analyst", "Spend analyst",
        "Analyses LLM usage exports in its working directory: cost, breakdowns, waste and cheaper alternatives (a deterministic workflow; "
            + "with a model configured it adds a narrative summary).",
        AgentKind.WORKFLOW, null, "Summarise LLM spend analyses for engineering managers, using only the facts given.",
        List.of("spend_summary", "spend_findings", "spend_price", "spend_catalog_search"), null, SpendWorkflow.ID));
  }

  @Override
  public List<Workflow> workflows() {
    return List.of(new SpendWorkflow());
  }

  @Override
  public List<Object> commands(PackContext context) {
    return List.of(new SpendCommand(SpendSettings.from(context.settings()), context.runLogs()));
  }
}
