package dev.maestro.engine.tool;

import java.nio.file.Path;

/**
 * What a tool call may know about where it runs.
 *
 * @param workdir the run's working directory; file tools are confined to it
 */
public record ToolContext(String runId, String agentId, Path workdir) {}
