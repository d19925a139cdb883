package dev.maestro.engine.memory;

import java.util.ArrayList;
import java.util.List;

/** The text a run's model reads about what its agent remembers: best memories first, within a token budget. */
public final class MemoryPrompt {
  static final String HEADER = "Relevant memories (from earlier runs and feedback; most relevant first):";

  private MemoryPrompt() {}

  /** The lines that fit, in order; empty when none does. */
  public static List<Recalled> fitting(List<Recalled> recalled, int tokenBudget) {
    var fitting = new ArrayList<Recalled>();
    int used = tokens(HEADER);
    for (Recalled r : recalled) {
      int cost = tokens(line(r));
      if (used + cost > tokenBudget) {
        break;
      }
      used += cost;
      fitting.add(r);
    }
    return fitting;
  }

  public static String render(List<Recalled> memories) {
    var sb = new StringBuilder(HEADER);
    for (Recalled r : memories) {
      sb.append('\n').append(line(r));
    }
    return sb.toString();
  }

  private static String line(Recalled r) {
    return "- [" + r.memory().type().wire() + "] " + r.memory().content().replace('\n', ' ');
  }

  /** About four characters a token for English text: good enough for a budget, no tokenizer needed. */
  static int tokens(String s) {
    return (s.length() + 3) / 4;
  }
}
