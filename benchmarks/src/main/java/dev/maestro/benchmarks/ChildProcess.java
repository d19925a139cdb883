package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LoadGenerator} in a second JVM with this process's class path, and reads what it
 * reports on its standard output: the {@code CLOCK} check, {@code READY}, and the {@code RESULT}.
 */
final class ChildProcess {
  private ChildProcess() {}

  /** Java options of the load generator's JVM; its own heap, so its garbage is not the server's. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseParallelGC");
  /** The API token the load generator sends (as MAESTRO_TOKEN), set by the server under test. */
  static volatile String apiToken;

  /** Called when the load generator says its subscribers have caught up. */
  @FunctionalInterface
  interface OnReady {
    void ready() throws Exception;
  }

  /** Runs the load generator with these arguments and returns its RESULT. */
  static JsonNode run(List<String> args, OnReady onReady) throws Exception {
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    var command = new ArrayList<String>();
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadGenerator.class.getName());
    command.addAll(args);
    long before = System.nanoTime();
    var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (apiToken != null) {
      builder.environment().put("MAESTRO_TOKEN", apiToken);
    }
    Process p = builder.start();
    JsonNode result = null;
    try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("CLOCK ")) {
          long child = Long.parseLong(line.substring(6).strip());
          long after = System.nanoTime();
          // Both read CLOCK_MONOTONIC (System.nanoTime on Linux): the child's reading falls between ours.
          if (child < before || child > after) {
            throw new IllegalStateException("the load generator's System.nanoTime (" + child + ") is not between this process's readings "
                + before + " and " + after + "; the two processes do not share a clock, so delivery lag cannot be measured");
          }
        } else if (line.startsWith("READY")) {
          if (!line.contains("true")) {
            System.out.println("  warning: not every subscriber caught up within 120 s");
          }
          onReady.ready();
        } else if (line.startsWith("RESULT ")) {
          result = Json.tree(line.substring(7));
        } else {
          System.out.println("  load generator: " + line);
        }
      }
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (result == null) {
      throw new IOException("the load generator ended (exit " + p.exitValue() + ") without a RESULT line; see its error output above");
    }
    return result;
  }
}
