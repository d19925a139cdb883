package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the {@code execute_python} tool: which interpreter, and the limits every call runs
 * under. A limit of 0 (or a null duration) takes its default.
 *
 * @param interpreter the Python 3 executable; null to find {@code python3} on the PATH once, on first use
 * @param timeout wall time of a call that gives none; 10 seconds by default
 * @param maxTimeout the most a call may ask for with {@code timeout_seconds}; 60 seconds by default
 * @param memoryBytes address space of each process (RLIMIT_AS); 512 MiB by default
 * @param cpuSeconds CPU time of each process (RLIMIT_CPU); 60 seconds by default
 * @param maxFileBytes largest file a process may write (RLIMIT_FSIZE); 16 MiB by default
 * @param maxProcesses processes and threads of the user running Maestro (RLIMIT_NPROC), beyond which
 *     the code may not start more; 256 by default
 * @param maxOutputBytes how much of stdout, and of stderr, to return; the rest is read and dropped;
 *     64 KiB by default
 */
public record PythonToolConfig(Path interpreter, Duration timeout, Duration maxTimeout, long memoryBytes, long cpuSeconds,
    long maxFileBytes, int maxProcesses, int maxOutputBytes) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(60);
  public static final long DEFAULT_MEMORY_BYTES = 512L * 1024 * 1024;
  public static final long DEFAULT_CPU_SECONDS = 60;
  public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_PROCESSES = 256;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
  /** Python itself needs about 10 MiB of address space to start; less would fail every call. */
  static final long MIN_MEMORY_BYTES = 64L * 1024 * 1024;

  /**
   * @throws InvalidInputException naming the setting that is out of range
   */
  public PythonToolConfig {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    maxTimeout = maxTimeout == null ? DEFAULT_MAX_TIMEOUT : maxTimeout;
    memoryBytes = memoryBytes == 0 ? DEFAULT_MEMORY_BYTES : memoryBytes;
    cpuSeconds = cpuSeconds == 0 ? DEFAULT_CPU_SECONDS : cpuSeconds;
    maxFileBytes = maxFileBytes == 0 ? DEFAULT_MAX_FILE_BYTES : maxFileBytes;
    maxProcesses = maxProcesses == 0 ? DEFAULT_MAX_PROCESSES : maxProcesses;
    maxOutputBytes = maxOutputBytes == 0 ? DEFAULT_MAX_OUTPUT_BYTES : maxOutputBytes;
    if (timeout.isNegative() || timeout.isZero() || maxTimeout.isNegative() || maxTimeout.isZero()) {
      throw new InvalidInputException("execute_python timeouts must be positive, not " + timeout.toSeconds() + "s and " + maxTimeout.toSeconds() + "s");
    }
    if (timeout.compareTo(maxTimeout) > 0) {
      throw new InvalidInputException("execute_python timeout " + timeout.toSeconds() + "s is longer than its maximum "
          + maxTimeout.toSeconds() + "s; raise max_timeout_seconds or lower timeout_seconds");
    }
    if (maxTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidInputException("execute_python maximum timeout " + maxTimeout.toSeconds() + "s is longer than an hour; give at most 3600");
    }
    if (memoryBytes < MIN_MEMORY_BYTES) {
      throw new InvalidInputException("execute_python memory limit " + memoryBytes / (1024 * 1024) + " MiB is too small for Python to start; give at least 64 MiB");
    }
    if (cpuSeconds < 1 || maxFileBytes < 1 || maxProcesses < 1) {
      throw new InvalidInputException("execute_python limits must be positive: cpu " + cpuSeconds + " s, file size " + maxFileBytes
          + " bytes, processes " + maxProcesses);
    }
    if (maxOutputBytes < 1 || maxOutputBytes > 16 * 1024 * 1024) {
      throw new InvalidInputException("execute_python output limit " + maxOutputBytes + " bytes is not valid; give 1 byte to 16 MiB");
    }
  }

  /** Every setting at its default, the interpreter found on the PATH. */
  public static PythonToolConfig defaults() {
    return new PythonToolConfig(null, null, null, 0, 0, 0, 0, 0);
  }
}
