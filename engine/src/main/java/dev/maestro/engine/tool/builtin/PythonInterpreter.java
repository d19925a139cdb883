package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real Python 3 executable once. {@code python3} on the PATH may be a launcher (a pyenv
 * shim, say) that needs the environment the tool's calls do not get, so it is asked once, with
 * Maestro's own environment, where the interpreter behind it is ({@code sys.executable}); calls then
 * run that path directly.
 */
final class PythonInterpreter {
  private static final String PROBE = "import sys; print(sys.version_info[0]); print(sys.executable)";
  private static final String HOW_TO_CONFIGURE = "set tools.python.interpreter in the Maestro config file (or MAESTRO_PYTHON) to the path of a Python 3 executable";

  private final Path configured;
  private Path resolved;

  /** @param configured the interpreter to use, or null for {@code python3} on the PATH */
  PythonInterpreter(Path configured) {
    this.configured = configured;
  }

  /**
   * The interpreter's path, found on first use; a failure is not remembered, so installing Python
   * later works without a restart.
   *
   * @throws ToolException saying what is missing and how to configure it
   */
  synchronized Path path() {
    if (resolved == null) {
      resolved = probe();
    }
    return resolved;
  }

  private Path probe() {
    String command = configured == null ? "python3" : configured.toString();
    if (configured != null && !Files.isExecutable(configured)) {
      throw new ToolException("the configured Python interpreter " + configured + " does not exist or is not executable; " + HOW_TO_CONFIGURE);
    }
    Process process;
    try {
      process = new ProcessBuilder(List.of(command, "-c", PROBE)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ToolException("python3 was not found on the PATH of the Maestro process, so execute_python cannot run; install Python 3, or "
          + HOW_TO_CONFIGURE);
    }
    try (InputStream in = process.getInputStream()) {
      process.getOutputStream().close();
      String output = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new ToolException(command + " did not answer within 30 s when asked for its version; " + HOW_TO_CONFIGURE);
      }
      List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (process.exitValue() != 0 || lines.size() < 2 || !lines.get(lines.size() - 2).equals("3")) {
        throw new ToolException(command + " is not a working Python 3 interpreter (it answered '" + ToolArguments.abbreviate(output.strip()) + "'); "
            + HOW_TO_CONFIGURE);
      }
      Path executable = Path.of(lines.getLast());
      if (!executable.isAbsolute() || !Files.isExecutable(executable)) {
        throw new ToolException(command + " reports its executable as '" + executable + "', which cannot be run directly; " + HOW_TO_CONFIGURE);
      }
      return executable;
    } catch (IOException e) {
      throw new ToolException("could not ask " + command + " for its version: " + e.getMessage() + "; " + HOW_TO_CONFIGURE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("interrupted while looking for the Python interpreter");
    } finally {
      process.destroyForcibly();
    }
  }
}
