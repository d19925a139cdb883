package dev.maestro.engine.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a pack may know about the installation it is part of.
 *
 * @param dataDir the platform's data directory; a pack keeps its files under {@code
 *     dataDir/packs/<id>}
 * @param settings the pack's section of the configuration file ({@code packs: <id>: ...}), missing
 *     when absent; the pack maps it to its own typed settings and reports bad values
 * @param runLogs read access to the installation's run logs (the workspace's runs and their events)
 */
public record PackContext(Path dataDir, JsonNode settings, Clock clock, RunLogs runLogs) {
  public PackContext {
    Objects.requireNonNull(dataDir, "dataDir");
    settings = settings == null ? MissingNode.getInstance() : settings;
    clock = clock == null ? Clock.systemUTC() : clock;
    runLogs = runLogs == null ? RunLogs.NONE : runLogs;
  }

  /** A context without access to run logs. */
  public PackContext(Path dataDir, JsonNode settings, Clock clock) {
    this(dataDir, settings, clock, RunLogs.NONE);
  }
}
