package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code execute_python}: runs a Python 3 program and returns JSON text {@code {"exit_code",
 * "stdout", "stderr", "timed_out", "truncated", "duration_ms"}}. A program that fails (exit code not
 * 0) is a normal result the model reads, not an error.
 *
 * <p>What it is: a child process of the machine's {@code python3} in isolated mode ({@code -I}),
 * in a fresh temporary directory that is its working directory and home and is deleted afterwards,
 * with an environment holding nothing of Maestro's (no API keys, no database URLs: only a minimal
 * PATH, HOME, TMPDIR, LANG and PYTHONDONTWRITEBYTECODE). Resource limits are set on it before the
 * code runs: address space, CPU seconds, size of files written, number of processes (see {@link
 * PythonToolConfig}); wall time is enforced by killing its whole process group and every
 * descendant, which also happens after a normal exit so nothing it started lingers; stdout and
 * stderr are each cut at a size.
 *
 * <p>What it is not: a security sandbox. The code runs as the user that runs Maestro; it can reach
 * the network, read every file that user can read and write outside its directory. That is why the
 * tool is HIGH risk and its calls need a person's approval by default. Run Maestro as an
 * unprivileged user, in a container, when agents may run code.
 */
public final class ExecutePythonTool implements Tool {
  static final String NAME = "execute_python";
  /** Where the temporary directory's processes find programs: the system's, never Maestro's PATH. */
  static final String PATH = "/usr/local/bin:/usr/bin:/bin";
  /** Time beyond the call's own timeout for starting the interpreter and cleaning up. */
  private static final Duration MARGIN = Duration.ofSeconds(15);
  /** How long to wait for the end of stdout and stderr once every process has been killed. */
  private static final long DRAIN_MILLIS = 2_000;
  /** What a process killed by SIGXCPU (24) exits with, as Java reports it: 128 + the signal. */
  private static final int SIGXCPU_EXIT = 128 + 24;

  // Runs before the user's code, in the interpreter itself: a process group of its own (so the
  // whole tree can be killed), the limits, then exec of a fresh interpreter on main.py, so the code
  // sees neither this program nor its variables, and tracebacks name only main.py.
  private static final String BOOTSTRAP = """
      import os, resource, sys
      try:
          os.setpgrp()
          def limit(name, value, grace=0):
              kind = getattr(resource, name, None)
              if kind is None:
                  return
              current = resource.getrlimit(kind)[1]
              hard = value + grace if current == resource.RLIM_INFINITY else min(value + grace, current)
              resource.setrlimit(kind, (min(value, hard), hard))
          limit('RLIMIT_AS', int(sys.argv[1]))
          # SIGXCPU at the soft limit (exit code 152), SIGKILL a second later if it is caught
          limit('RLIMIT_CPU', int(sys.argv[2]), 1)
          limit('RLIMIT_FSIZE', int(sys.argv[3]))
          limit('RLIMIT_NPROC', int(sys.argv[4]))
          limit('RLIMIT_CORE', 0)
      except Exception as e:
          sys.stderr.write('execute_python could not set the resource limits, so the code was not run: %s\\n' % e)
          sys.exit(125)
      os.execv(sys.executable, [sys.executable, '-I', '-B', 'main.py'])
      """;

  private final PythonToolConfig config;
  private final PythonInterpreter interpreter;
  private final ToolSpec spec;

  /** A tool with {@link PythonToolConfig#defaults()}. */
  public ExecutePythonTool() {
    this(PythonToolConfig.defaults());
  }

  public ExecutePythonTool(PythonToolConfig config) {
    this.config = config == null ? PythonToolConfig.defaults() : config;
    this.interpreter = new PythonInterpreter(this.config.interpreter());
    this.spec = new ToolSpec(NAME,
        "Runs a Python 3 program in a fresh empty directory and returns JSON with exit_code, stdout, stderr, timed_out, truncated"
            + " and duration_ms. Print what you want to see. Limits: " + this.config.timeout().toSeconds() + " s by default (at most "
            + this.config.maxTimeout().toSeconds() + " s), " + this.config.memoryBytes() / (1024 * 1024) + " MiB of memory, "
            + this.config.maxOutputBytes() + " bytes of stdout and of stderr. Only the standard library and packages installed on the"
            + " machine are available; files written are deleted after the call.",
        Json.tree("""
            {"type":"object",
             "properties":{
               "code":{"type":"string","description":"the Python 3 program, run as a script (main.py)"},
               "stdin":{"type":"string","description":"text given to the program on standard input (optional)"},
               "timeout_seconds":{"type":"integer","description":"wall time limit in seconds (optional; capped by the configured maximum)"}},
             "required":["code"]}"""),
        RiskLevel.HIGH, false, this.config.maxTimeout().plus(MARGIN));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    String code = ToolArguments.required(arguments, NAME, "code");
    String stdin = ToolArguments.optional(arguments, NAME, "stdin").orElse("");
    Duration timeout = timeout(arguments);
    Path python = interpreter.path();
    Path dir;
    try {
      dir = Files.createTempDirectory("maestro-python-");
      Files.writeString(dir.resolve("main.py"), code, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ToolException("execute_python could not create its temporary directory: " + e.getMessage()
          + "; the disk may be full or the temporary directory (java.io.tmpdir) not writable");
    }
    try {
      return run(python, dir, stdin, timeout);
    } finally {
      delete(dir);
    }
  }

  private String run(Path python, Path dir, String stdin, Duration timeout) {
    var builder = new ProcessBuilder(List.of(python.toString(), "-I", "-B", "-c", BOOTSTRAP,
        Long.toString(config.memoryBytes()), Long.toString(config.cpuSeconds()), Long.toString(config.maxFileBytes()),
        Integer.toString(config.maxProcesses())))
        .directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", PATH);
    env.put("HOME", dir.toString());
    env.put("TMPDIR", dir.toString());
    env.put("LANG", "C.UTF-8");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    long t0 = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ToolException("could not start " + python + ": " + e.getMessage() + "; check tools.python.interpreter in the Maestro config file");
    }
    var stdout = new CappedOutput(process.getInputStream(), config.maxOutputBytes(), NAME + "-stdout-" + process.pid());
    var stderr = new CappedOutput(process.getErrorStream(), config.maxOutputBytes(), NAME + "-stderr-" + process.pid());
    feed(process, stdin);
    boolean exited = false;
    boolean interrupted = false;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    ProcessTree.kill(process); // after a normal exit too: nothing the code started may outlive the call
    stdout.awaitQuietly(DRAIN_MILLIS);
    stderr.awaitQuietly(DRAIN_MILLIS);
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new ToolException("execute_python was stopped before the program finished; its processes were killed");
    }
    ObjectNode result = Json.MAPPER.createObjectNode();
    if (exited) {
      result.put("exit_code", process.exitValue());
    } else {
      result.putNull("exit_code");
    }
    result.put("stdout", stdout.text());
    String note = !exited ? "[killed: the program ran longer than its time limit of " + seconds(timeout) + "]"
        : process.exitValue() == SIGXCPU_EXIT ? "[stopped: exit code " + SIGXCPU_EXIT + " means the program used its CPU time limit of "
            + config.cpuSeconds() + " s (SIGXCPU)]"
        : null;
    String errors = stderr.text();
    result.put("stderr", note == null ? errors : errors + (errors.isEmpty() || errors.endsWith("\n") ? "" : "\n") + note);
    result.put("timed_out", !exited);
    result.put("truncated", stdout.truncated() || stderr.truncated());
    result.put("duration_ms", durationMillis);
    return Json.write(result);
  }

  /** Writes stdin on its own thread (a program that never reads it must not block us), then closes it. */
  private static void feed(Process process, String stdin) {
    byte[] bytes = stdin.getBytes(StandardCharsets.UTF_8);
    Thread.ofPlatform().daemon().name(NAME + "-stdin-" + process.pid()).start(() -> {
      try (OutputStream in = process.getOutputStream()) {
        in.write(bytes);
      } catch (IOException e) {
        // the program exited or closed its stdin without reading it all: that is its business
      }
    });
  }

  private Duration timeout(JsonNode arguments) {
    JsonNode value = arguments == null ? null : arguments.get("timeout_seconds");
    if (value == null || value.isNull()) {
      return config.timeout();
    }
    if (!value.isNumber() || value.asDouble() <= 0) {
      throw new ToolException(NAME + " argument 'timeout_seconds' must be a positive number of seconds, not "
          + value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + ToolArguments.abbreviate(value.toString()));
    }
    Duration asked = Duration.ofMillis((long) Math.ceil(value.asDouble() * 1000));
    return asked.compareTo(config.maxTimeout()) > 0 ? config.maxTimeout() : asked;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Deletes the directory and what the program left in it, without following links out of it. */
  static void delete(Path path) {
    try {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        try {
          // the program may have taken its own permissions away
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
          // try to delete anyway
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
          for (Path entry : entries) {
            delete(entry);
          }
        }
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ExecutePythonTool.class).warn("execute_python could not delete {}: {}", path, e.toString());
    }
  }
}
