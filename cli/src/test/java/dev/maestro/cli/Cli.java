package dev.maestro.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the maestro command in this JVM against a data directory, capturing what it prints. */
final class Cli {
  record Result(int code, String out, String err) {}

  final Map<String, String> env = new HashMap<>();

  Cli(Path dataDir) {
    env.put("MAESTRO_DATA_DIR", dataDir.toString());
  }

  Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.execute(args, Map.copyOf(env), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  /** The classpath of the running tests, for child JVMs that run Maestro as a separate process. */
  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  static List<String> javaCommand(String... args) {
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
