package dev.maestro.packs.spark;

import picocli.CommandLine.Command;

/** {@code maestro spark ...}: the Spark pack's commands. */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = "Diagnose Apache Spark applications from their event logs.",
    subcommands = {AnalyzeCommand.class})
final class SparkCommand {
  final SparkSettings settings;

  SparkCommand(SparkSettings settings) {
    this.settings = settings;
  }

  /** For picocli's help when it builds the command itself. */
  SparkCommand() {
    this(SparkSettings.DEFAULTS);
  }
}
