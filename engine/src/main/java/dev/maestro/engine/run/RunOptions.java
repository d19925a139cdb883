package dev.maestro.engine.run;

import java.nio.file.Path;

/**
 * How to start a run.
 *
 * @param model a model reference overriding the agent's, or null
 * @param workdir the directory file tools are confined to; null for the process's current directory
 */
public record RunOptions(String model, Path workdir) {
  public static final RunOptions DEFAULT = new RunOptions(null, null);
}
