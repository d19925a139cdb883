package dev.maestro.engine.tool.builtin;

import java.util.Set;

/** The words of an SQL text outside its strings and comments, read as every dialect could read them. */
public final class SqlWords {
  private SqlWords() {}

  /** Upper-cased words outside strings and comments; for a text no dialect can read, every word in it. */
  public static Set<String> of(String sql) {
    return ReadOnlySql.words(sql == null ? "" : sql);
  }
}
