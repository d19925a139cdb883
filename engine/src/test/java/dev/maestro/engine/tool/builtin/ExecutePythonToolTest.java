package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** execute_python with the machine's real python3. */
class ExecutePythonToolTest {
  static final ToolContext CONTEXT = new ToolContext("run_1", "coder", Path.of("."));
  static final ExecutePythonTool TOOL = new ExecutePythonTool(
      new PythonToolConfig(null, Duration.ofSeconds(10), Duration.ofSeconds(20), 0, 0, 0, 0, 4096));

  static JsonNode run(String code) {
    return run(TOOL, Json.MAPPER.createObjectNode().put("code", code));
  }

  static JsonNode run(ExecutePythonTool tool, ObjectNode arguments) {
    return Json.tree(tool.call(arguments, CONTEXT));
  }

  @Test
  void returns_what_the_program_printed_and_its_exit_code() {
    JsonNode ok = run("import sys\nprint('hello', 6 * 7)\nprint('warn', file=sys.stderr)");
    JsonNode failed = run("import sys\nprint('partial')\nsys.exit(3)");
    JsonNode raised = run("x = 1\nraise ValueError('bad value')");

    assertThat(ok.path("exit_code").asInt()).isZero();
    assertThat(ok.path("stdout").asText()).isEqualTo("hello 42\n");
    assertThat(ok.path("stderr").asText()).isEqualTo("warn\n");
    assertThat(ok.path("timed_out").asBoolean()).isFalse();
    assertThat(ok.path("truncated").asBoolean()).isFalse();
    assertThat(ok.path("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(failed.path("exit_code").asInt()).isEqualTo(3);
    assertThat(failed.path("stdout").asText()).isEqualTo("partial\n");
    assertThat(raised.path("exit_code").asInt()).isEqualTo(1);
    assertThat(raised.path("stderr").asText()).contains("main.py\", line 2").contains("ValueError: bad value").doesNotContain("execv");
  }

  @Test
  void gives_the_program_its_stdin() {
    JsonNode result = run(TOOL, Json.MAPPER.createObjectNode()
        .put("code", "import sys\ndata = sys.stdin.read()\nprint(data.upper(), len(data.splitlines()))")
        .put("stdin", "héllo\nworld\n"));

    assertThat(result.path("stdout").asText()).isEqualTo("HÉLLO\nWORLD\n 2\n");
  }

  @Test
  void kills_a_program_that_runs_too_long_with_the_processes_it_started() throws Exception {
    long t0 = System.nanoTime();
    JsonNode result = run(TOOL, Json.MAPPER.createObjectNode()
        .put("code", """
            import subprocess, sys
            child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])
            print(child.pid, flush=True)
            while True:
                pass
            """)
        .put("timeout_seconds", 1));
    long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();

    assertThat(result.path("timed_out").asBoolean()).isTrue();
    assertThat(result.path("exit_code").isNull()).isTrue();
    assertThat(result.path("stderr").asText()).contains("[killed: the program ran longer than its time limit of 1 s]");
    assertThat(millis).isBetween(900L, 8_000L);
    long child = Long.parseLong(result.path("stdout").asText().strip());
    assertThat(ProcessHandle.of(child).filter(ProcessTree::alive)).as("the program's child process").isEmpty();
  }

  @Test
  void kills_what_a_program_left_running_when_it_exits() throws Exception {
    long t0 = System.nanoTime();
    JsonNode result = run("""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])
        print(child.pid)
        """);

    assertThat(result.path("exit_code").asInt()).isZero();
    assertThat(result.path("timed_out").asBoolean()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    long child = Long.parseLong(result.path("stdout").asText().strip());
    assertThat(ProcessHandle.of(child).filter(ProcessTree::alive)).as("the program's child process").isEmpty();
  }

  @Test
  void stops_a_program_that_allocates_more_memory_than_allowed() {
    JsonNode result = run("data = bytearray(2 * 1024 ** 3)\nprint('allocated', len(data))");

    assertThat(result.path("exit_code").asInt()).isNotZero();
    assertThat(result.path("stdout").asText()).doesNotContain("allocated");
    assertThat(result.path("stderr").asText()).contains("MemoryError");
  }

  @Test
  void stops_a_program_that_writes_a_file_larger_than_allowed() {
    var tool = new ExecutePythonTool(new PythonToolConfig(null, null, null, 0, 0, 1024 * 1024, 0, 0));

    JsonNode result = run(tool, Json.MAPPER.createObjectNode().put("code", """
        with open('big.bin', 'wb') as f:
            f.write(b'x' * (2 * 1024 * 1024))
        print('written')
        """));

    assertThat(result.path("exit_code").asInt()).isNotZero();
    assertThat(result.path("stderr").asText()).contains("File too large");
    assertThat(result.path("stdout").asText()).doesNotContain("written");
  }

  @Test
  void stops_a_program_that_uses_more_cpu_time_than_allowed() {
    var tool = new ExecutePythonTool(new PythonToolConfig(null, null, null, 0, 1, 0, 0, 0));

    JsonNode result = run(tool, Json.MAPPER.createObjectNode().put("code", "while True:\n    pass"));

    assertThat(result.path("timed_out").asBoolean()).as("stopped by the CPU limit, before the 10 s wall time").isFalse();
    assertThat(result.path("exit_code").asInt()).isEqualTo(128 + 24); // SIGXCPU
    assertThat(result.path("stderr").asText()).contains("CPU time limit of 1 s");
    assertThat(result.path("duration_ms").asLong()).isLessThan(5_000);
  }

  @Test
  void caps_a_flood_of_output_and_says_how_much_was_cut() {
    JsonNode once = run("import sys\nsys.stdout.write('x' * 10_000_000)\nsys.stderr.write('ok')");
    JsonNode endless = run(TOOL, Json.MAPPER.createObjectNode().put("code", "while True:\n    print('y' * 1000)").put("timeout_seconds", 1));

    assertThat(once.path("truncated").asBoolean()).isTrue();
    assertThat(once.path("stdout").asText()).startsWith("xxxx").endsWith("\n[truncated: 10000000 bytes written; showing the first 4096]");
    assertThat(once.path("stdout").asText()).hasSize(4096 + "\n[truncated: 10000000 bytes written; showing the first 4096]".length());
    assertThat(once.path("stderr").asText()).isEqualTo("ok");
    assertThat(endless.path("timed_out").asBoolean()).isTrue();
    assertThat(endless.path("truncated").asBoolean()).isTrue();
    assertThat(endless.path("stdout").asText()).contains("showing the first 4096]");
  }

  @Test
  void the_program_sees_none_of_the_parent_environment() {
    JsonNode result = run("import json, os\nprint(json.dumps(dict(os.environ)))");

    JsonNode env = Json.tree(result.path("stdout").asText());
    Set<String> names = new HashSet<>();
    env.fieldNames().forEachRemaining(names::add);
    Set<String> given = Set.of("PATH", "HOME", "TMPDIR", "LANG", "PYTHONDONTWRITEBYTECODE", "LC_CTYPE");
    assertThat(names).isSubsetOf(given);
    assertThat(env.path("PATH").asText()).isEqualTo(ExecutePythonTool.PATH);
    Set<String> parent = new HashSet<>(System.getenv().keySet());
    parent.removeAll(given);
    assertThat(parent).as("variables of the test process, at least JAVA_HOME or USER").isNotEmpty();
    assertThat(names).doesNotContainAnyElementsOf(parent);
    assertThat(env.path("HOME").asText()).isNotEqualTo(System.getProperty("user.home")).contains("maestro-python-");
  }

  @Test
  void each_call_gets_a_fresh_directory_that_is_deleted_afterwards() {
    JsonNode first = run("import os\nopen('secret.txt', 'w').write('s3cret')\nos.makedirs('sub/deeper')\nos.chmod('sub', 0o500)\nprint(os.getcwd())");
    Path firstDir = Path.of(first.path("stdout").asText().strip());

    JsonNode second = run("import os, sys\nprint(os.getcwd())\nprint(sorted(os.listdir('.')))\nprint(os.path.exists(sys.argv[0]))\n"
        + "print(os.path.exists(" + Json.write(firstDir.resolve("secret.txt").toString()) + "))");
    String[] lines = second.path("stdout").asText().split("\n");

    assertThat(first.path("exit_code").asInt()).isZero();
    assertThat(Files.exists(firstDir)).as("the first call's directory " + firstDir).isFalse();
    assertThat(lines[0]).isNotEqualTo(firstDir.toString());
    assertThat(lines[1]).isEqualTo("['main.py']");
    assertThat(lines[3]).isEqualTo("False");
    assertThat(Files.exists(Path.of(lines[0]))).isFalse();
  }

  @Test
  void is_high_risk_and_not_idempotent() {
    assertThat(TOOL.spec().risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(TOOL.spec().idempotent()).isFalse();
    assertThat(TOOL.spec().timeout()).isGreaterThan(Duration.ofSeconds(20));
    assertThat(TOOL.spec().parameters().path("required").toString()).isEqualTo("[\"code\"]");
  }

  @Test
  void refuses_a_call_without_code_or_with_a_bad_timeout() {
    assertThatThrownBy(() -> TOOL.call(Json.tree("{}"), CONTEXT)).isInstanceOf(ToolException.class).hasMessageContaining("'code'");
    assertThatThrownBy(() -> TOOL.call(Json.tree("{\"code\":\"print(1)\",\"timeout_seconds\":\"soon\"}"), CONTEXT))
        .isInstanceOf(ToolException.class).hasMessageContaining("'timeout_seconds' must be a positive number");
  }

  @Test
  void says_how_to_configure_python_when_it_is_missing() {
    var tool = new ExecutePythonTool(new PythonToolConfig(Path.of("/nonexistent/bin/python3"), null, null, 0, 0, 0, 0, 0));

    assertThatThrownBy(() -> tool.call(Json.tree("{\"code\":\"print(1)\"}"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("/nonexistent/bin/python3 does not exist")
        .hasMessageContaining("tools.python.interpreter");
  }

  @Test
  void refuses_limits_out_of_range() {
    assertThatThrownBy(() -> new PythonToolConfig(null, Duration.ofSeconds(30), Duration.ofSeconds(20), 0, 0, 0, 0, 0))
        .hasMessageContaining("longer than its maximum");
    assertThatThrownBy(() -> new PythonToolConfig(null, null, null, 1024, 0, 0, 0, 0)).hasMessageContaining("at least 64 MiB");
  }
}
