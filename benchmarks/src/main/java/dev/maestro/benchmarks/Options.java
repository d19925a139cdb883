package dev.maestro.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} (or {@code --name=value}) arguments of a benchmark, checked against the names it knows. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  Options(String[] args, Set<String> known, String usage) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value\n" + usage);
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "\n" + usage);
      }
      values.put(name, value);
    }
  }

  int integer(String name, int fallback, int min) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " is '" + v + "', not a whole number");
    }
    if (n < min) {
      throw new IllegalArgumentException("--" + name + " is " + n + "; use at least " + min);
    }
    return n;
  }

  String text(String name) {
    return values.get(name);
  }
}
