package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.builtin.PythonToolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools.python and mail.smtp settings, read from the config file and the environment, and what they do to the tools. */
class HighRiskToolsConfigTest {
  @TempDir Path dataDir;
  final Map<String, String> env = new HashMap<>();

  MaestroConfig load(String yaml) throws IOException {
    Files.writeString(dataDir.resolve("config.yaml"), yaml);
    env.put("MAESTRO_DATA_DIR", dataDir.toString());
    return MaestroConfig.load(null, null, env);
  }

  @Test
  void defaults_without_settings() throws IOException {
    MaestroConfig config = load("{}\n");

    assertThat(config.tools().python()).isEqualTo(PythonToolConfig.defaults());
    assertThat(config.mail().smtp()).isNull();
    assertThat(config.mail().from()).isNull();
  }

  @Test
  void reads_the_python_limits() throws IOException {
    MaestroConfig config = load("""
        tools:
          python: {timeout_seconds: 5, max_timeout_seconds: 30, memory_mb: 256, cpu_seconds: 20, max_file_mb: 4, max_processes: 64, max_output_bytes: 1000}
        """);

    PythonToolConfig python = config.tools().python();
    assertThat(python.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(python.maxTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(python.memoryBytes()).isEqualTo(256L << 20);
    assertThat(python.cpuSeconds()).isEqualTo(20);
    assertThat(python.maxFileBytes()).isEqualTo(4L << 20);
    assertThat(python.maxProcesses()).isEqualTo(64);
    assertThat(python.maxOutputBytes()).isEqualTo(1000);
    try (var app = new Application(config, null)) {
      var tool = app.tools.find("execute_python").orElseThrow();
      assertThat(tool.spec().risk()).isEqualTo(RiskLevel.HIGH);
      assertThat(tool.spec().description()).contains("5 s by default (at most 30 s), 256 MiB of memory, 1000 bytes");
    }
  }

  @Test
  void the_interpreter_from_the_environment_wins_and_a_wrong_one_is_explained() throws IOException {
    env.put("MAESTRO_PYTHON", "/opt/none/python3");
    MaestroConfig config = load("tools:\n  python: {interpreter: /usr/bin/python3}\n");

    assertThat(config.tools().python().interpreter()).isEqualTo(Path.of("/opt/none/python3"));
    try (var app = new Application(config, null)) {
      var tool = app.tools.find("execute_python").orElseThrow();
      assertThatThrownBy(() -> tool.call(Json.tree("{\"code\":\"print(1)\"}"), new ToolContext(null, null, dataDir)))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("/opt/none/python3 does not exist")
          .hasMessageContaining("tools.python.interpreter");
    }
  }

  @Test
  void refuses_python_limits_out_of_range_naming_the_section() {
    assertThatThrownBy(() -> load("tools:\n  python: {timeout_seconds: 90}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tools.python")
        .hasMessageContaining("longer than its maximum 60s");
    assertThatThrownBy(() -> load("tools:\n  python: {memory: 10}\n")).hasMessageContaining("unknown setting 'memory'").hasMessageContaining("memory_mb");
  }

  @Test
  void reads_smtp_with_the_password_from_the_environment() throws IOException {
    env.put("MAESTRO_SMTP_PASSWORD", "from-env");
    MaestroConfig config = load("""
        mail:
          smtp: {host: smtp.corp.example, username: bot, password: from-file, from: Maestro@Corp.Example}
        """);

    MaestroConfig.Smtp smtp = config.mail().smtp();
    assertThat(smtp.host()).isEqualTo("smtp.corp.example");
    assertThat(smtp.port()).as("the submission port, with STARTTLS by default").isEqualTo(587);
    assertThat(smtp.starttls()).isTrue();
    assertThat(smtp.password()).isEqualTo("from-env");
    assertThat(smtp.from()).isEqualTo("Maestro@corp.example");
    assertThat(smtp.toString()).doesNotContain("from-env");
    assertThat(load("mail:\n  smtp: {host: mx, starttls: false, from: a@corp.example}\n").mail().smtp().port()).isEqualTo(25);
  }

  @Test
  void refuses_an_incomplete_smtp_setup() {
    assertThatThrownBy(() -> load("mail:\n  smtp: {host: smtp.corp.example}\n"))
        .hasMessageContaining("mail.smtp.from is required when mail.smtp.host is set");
    assertThatThrownBy(() -> load("mail:\n  smtp: {host: smtp.corp.example, from: a@corp.example, username: bot}\n"))
        .hasMessageContaining("set MAESTRO_SMTP_PASSWORD");
    assertThatThrownBy(() -> load("mail:\n  smtp: {host: smtp.corp.example, from: not an address}\n"))
        .hasMessageContaining("'not an address' in 'mail.smtp.from' is not an e-mail address");
    assertThatThrownBy(() -> load("mail:\n  smtp: {host: smtp.corp.example, from: a@corp.example, port: 70000}\n"))
        .hasMessageContaining("mail.smtp.port 70000");
  }
}
