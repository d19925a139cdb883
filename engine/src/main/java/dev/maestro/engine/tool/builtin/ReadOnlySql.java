package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.tool.ToolException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a query is one read-only statement, before it reaches the database: it must start
 * with SELECT, WITH or EXPLAIN, contain no second statement, and use no keyword or function that
 * changes data or reaches outside the database. Keywords inside string literals, quoted identifiers
 * and comments do not count.
 *
 * <p>SQL dialects disagree on what is a string or a comment (backslash escapes, {@code #} and
 * {@code //} comments, backticks, dollar quoting), and a keyword hidden by one dialect's rule could be
 * executed by another's. So the query is tokenized under every combination of the rules it could
 * trigger and accepted only if it passes under all of them. This is a guard in front of a read-only
 * transaction, not a replacement for a database user that can only read.
 */
final class ReadOnlySql {
  static final int MAX_QUERY_CHARS = 100_000;

  private static final Set<String> LEADING = Set.of("SELECT", "WITH", "EXPLAIN");
  private static final Set<String> WRITES = Set.of(
      "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY",
      "CALL", "EXECUTE", "EXEC", "INTO", "LOCK", "VACUUM", "SET");
  // Functions that write, read server files, run SQL given as a string, or act on other sessions.
  private static final Set<String> FUNCTIONS = Set.of(
      // H2
      "CSVWRITE", "CSVREAD", "FILE_WRITE", "FILE_READ", "LINK_SCHEMA", "CANCEL_SESSION", "ABORT_SESSION",
      // PostgreSQL
      "PG_READ_FILE", "PG_READ_BINARY_FILE", "PG_LS_DIR", "PG_STAT_FILE", "LO_IMPORT", "LO_EXPORT", "LO_UNLINK",
      "LO_CREATE", "LO_CREAT", "LO_PUT", "LO_FROM_BYTEA", "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND",
      "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE", "PG_PROMOTE", "PG_SWITCH_WAL", "PG_CREATE_RESTORE_POINT",
      "DBLINK", "DBLINK_EXEC", "DBLINK_CONNECT", "SET_CONFIG", "SETVAL", "NEXTVAL",
      "QUERY_TO_XML", "QUERY_TO_XMLSCHEMA", "QUERY_TO_XML_AND_XMLSCHEMA");
  private static final Pattern DOLLAR_QUOTE = Pattern.compile("\\$([A-Za-z_\\u0080-\\uFFFF][A-Za-z0-9_\\u0080-\\uFFFF]*)?\\$");

  /** A lexical rule some SQL dialects follow and others do not; {@code trigger} is what makes it matter. */
  enum Rule {
    BACKSLASH_ESCAPES("\\", "backslashes escape quotes inside strings, as in MySQL"),
    E_STRINGS("\\", "E'...' strings take backslash escapes, as in PostgreSQL"),
    DOUBLE_QUOTED_STRINGS("\"", "double quotes delimit strings, as in MySQL"),
    BACKTICK_IDENTIFIERS("`", "backticks quote identifiers, as in MySQL"),
    HASH_COMMENTS("#", "'#' starts a comment, as in MySQL"),
    DASH_DASH_NEEDS_SPACE("--", "'--' starts a comment only before a space, as in MySQL"),
    SLASH_SLASH_COMMENTS("//", "'//' starts a comment, as in H2"),
    DOLLAR_QUOTES("$", "$$ or $tag$ quote strings, as in PostgreSQL");

    final String trigger;
    final String description;

    Rule(String trigger, String description) {
      this.trigger = trigger;
      this.description = description;
    }
  }

  enum Kind { WORD, QUOTED_IDENTIFIER, SEMICOLON, SYMBOL }

  /** A token outside strings and comments; words are upper-cased. */
  record Token(Kind kind, String text, int position) {}

  private ReadOnlySql() {}

  /**
   * Checks the query and returns the statement to execute: the query without trailing semicolons.
   *
   * @throws ToolException saying what was refused and why
   */
  static String check(String query) {
    if (query.length() > MAX_QUERY_CHARS) {
      throw new ToolException("the query is " + query.length() + " characters long; run_sql accepts at most " + MAX_QUERY_CHARS);
    }
    List<Rule> relevant = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      if (query.contains(rule.trigger)) {
        relevant.add(rule);
      }
    }
    String statement = null;
    for (int mask = 0; mask < (1 << relevant.size()); mask++) {
      EnumSet<Rule> rules = EnumSet.noneOf(Rule.class);
      for (int i = 0; i < relevant.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          rules.add(relevant.get(i));
        }
      }
      try {
        String checked = checkUnder(query, rules);
        statement = statement == null ? checked : statement;
      } catch (ToolException e) {
        if (relevant.isEmpty()) {
          throw e;
        }
        throw new ToolException(e.getMessage() + readingNote(rules, relevant));
      }
    }
    return statement;
  }

  private static String readingNote(Set<Rule> applied, List<Rule> relevant) {
    List<String> on = applied.stream().map(r -> r.description).toList();
    List<String> off = relevant.stream().filter(r -> !applied.contains(r)).map(r -> r.description).toList();
    return " (reading the query as some SQL dialects do"
        + (on.isEmpty() ? "" : ", where " + String.join("; ", on))
        + (off.isEmpty() ? "" : (on.isEmpty() ? ", where not " : "; but not where ") + String.join("; ", off))
        + "); run_sql only accepts a query that is one read-only statement in every dialect, so avoid constructs dialects read differently";
  }

  private static String checkUnder(String query, Set<Rule> rules) {
    List<Token> tokens = tokenize(query, rules);
    int first = 0;
    while (first < tokens.size() && tokens.get(first).text().equals("(")) {
      first++;
    }
    if (first == tokens.size()) {
      throw new ToolException("the query is empty; give one SELECT, WITH or EXPLAIN statement");
    }
    Token lead = tokens.get(first);
    if (lead.kind() != Kind.WORD || !LEADING.contains(lead.text())) {
      throw new ToolException("run_sql is read-only and accepts one SELECT, WITH or EXPLAIN statement; this query starts with '"
          + lead.text() + "'");
    }
    int end = query.length();
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).kind() == Kind.SEMICOLON) {
        for (int j = i + 1; j < tokens.size(); j++) {
          if (tokens.get(j).kind() != Kind.SEMICOLON) {
            throw new ToolException("the query holds more than one statement (a ';' at position " + tokens.get(i).position()
                + " is followed by more SQL); run_sql runs a single SELECT, WITH or EXPLAIN statement, so send one per call");
          }
        }
        end = tokens.get(i).position();
        break;
      }
    }
    for (Token t : tokens) {
      // 'a$delete' is one identifier in PostgreSQL, but '$' may separate words elsewhere: check the parts too.
      for (String part : t.kind() == Kind.WORD ? t.text().split("\\$") : new String[0]) {
        if (WRITES.contains(part)) {
          throw new ToolException("run_sql is read-only: the query uses '" + part + "' (at position " + t.position()
              + "), which changes data or the database; only reading queries are allowed (if " + part
              + " is a column or table name here, write it in double quotes)");
        }
      }
      if ((t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENTIFIER) && FUNCTIONS.contains(t.text().toUpperCase(Locale.ROOT))) {
        throw new ToolException("run_sql does not allow the function '" + t.text() + "' (at position " + t.position()
            + "): it writes, reads files on the database server, runs SQL from a string or acts on other sessions");
      }
    }
    return query.substring(0, end).stripTrailing();
  }

  /**
   * The upper-cased words of the SQL outside strings and comments, as any dialect could read them
   * (the union over the dialect rules the text triggers): what the safety engine classifies.
   */
  static Set<String> words(String sql) {
    List<Rule> relevant = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      if (sql.contains(rule.trigger)) {
        relevant.add(rule);
      }
    }
    Set<String> words = new java.util.TreeSet<>();
    for (int mask = 0; mask < (1 << relevant.size()); mask++) {
      EnumSet<Rule> rules = EnumSet.noneOf(Rule.class);
      for (int i = 0; i < relevant.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          rules.add(relevant.get(i));
        }
      }
      try {
        for (Token t : tokenize(sql, rules)) {
          if (t.kind() == Kind.WORD) {
            words.addAll(List.of(t.text().split("\\$")));
          }
        }
      } catch (ToolException unterminated) {
        // A string or comment that never ends under these rules: count every word in the text.
        for (String w : sql.toUpperCase(Locale.ROOT).split("[^A-Z0-9_]+")) {
          if (!w.isEmpty()) {
            words.add(w);
          }
        }
      }
    }
    return words;
  }

  /** The tokens of a query outside strings and comments, under the given dialect rules. */
  static List<Token> tokenize(String sql, Set<Rule> rules) {
    var tokens = new ArrayList<Token>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        i++;
      } else if (c == '-' && next == '-' && (!rules.contains(Rule.DASH_DASH_NEEDS_SPACE) || i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2)) || Character.isISOControl(sql.charAt(i + 2)))) {
        i = lineEnd(sql, i);
      } else if ((c == '#' && rules.contains(Rule.HASH_COMMENTS)) || (c == '/' && next == '/' && rules.contains(Rule.SLASH_SLASH_COMMENTS))) {
        i = lineEnd(sql, i);
      } else if (c == '/' && next == '*') {
        i = blockCommentEnd(sql, i);
      } else if (c == '\'') {
        Token previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        boolean eString = rules.contains(Rule.E_STRINGS) && previous != null && previous.kind() == Kind.WORD
            && previous.text().equals("E") && previous.position() + 1 == i;
        i = quotedEnd(sql, i, '\'', rules.contains(Rule.BACKSLASH_ESCAPES) || eString, "string literal");
      } else if (c == '"' && rules.contains(Rule.DOUBLE_QUOTED_STRINGS)) {
        i = quotedEnd(sql, i, '"', rules.contains(Rule.BACKSLASH_ESCAPES), "string literal");
      } else if (c == '"' || (c == '`' && rules.contains(Rule.BACKTICK_IDENTIFIERS))) {
        int end = quotedEnd(sql, i, c, false, "quoted identifier");
        tokens.add(new Token(Kind.QUOTED_IDENTIFIER, sql.substring(i + 1, end - 1).replace(String.valueOf(c) + c, String.valueOf(c)), i));
        i = end;
      } else if (c == '$' && rules.contains(Rule.DOLLAR_QUOTES) && dollarQuoteAt(sql, i) != null) {
        String delimiter = dollarQuoteAt(sql, i);
        int close = sql.indexOf(delimiter, i + delimiter.length());
        if (close < 0) {
          throw new ToolException("the dollar-quoted string starting at position " + i + " (" + delimiter + ") is never closed; close it with " + delimiter);
        }
        i = close + delimiter.length();
      } else if (isWordStart(c)) {
        int start = i;
        while (i < n && (isWordStart(sql.charAt(i)) || sql.charAt(i) == '$')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i).toUpperCase(Locale.ROOT), start));
      } else {
        tokens.add(new Token(c == ';' ? Kind.SEMICOLON : Kind.SYMBOL, String.valueOf(c), i));
        i++;
      }
    }
    return tokens;
  }

  /**
   * Letters, digits and '_'. Any other character ends a word, even where a database would keep it in
   * an identifier: splitting too often can only reveal more keywords, never hide one.
   */
  private static boolean isWordStart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static int lineEnd(String sql, int from) {
    int newline = sql.indexOf('\n', from);
    return newline < 0 ? sql.length() : newline + 1;
  }

  private static int blockCommentEnd(String sql, int start) {
    if (start + 2 < sql.length() && sql.charAt(start + 2) == '!') {
      throw new ToolException("the comment at position " + start + " starts with '/*!', which MySQL executes as SQL; remove it");
    }
    int close = sql.indexOf("*/", start + 2);
    if (close < 0) {
      throw new ToolException("the comment starting at position " + start + " is never closed; close it with */");
    }
    int nested = sql.indexOf("/*", start + 2);
    if (nested >= 0 && nested < close) {
      // PostgreSQL nests block comments and other databases do not; refuse rather than guess.
      throw new ToolException("the comment starting at position " + start + " contains another '/*' (nested comments end differently in different databases); remove the inner one");
    }
    return close + 2;
  }

  /** The index just past the closing quote of the quoted text starting at {@code start}. */
  private static int quotedEnd(String sql, int start, char quote, boolean backslashEscapes, String what) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw new ToolException("the " + what + " starting at position " + start + " (" + quote + ") is never closed; close it, doubling any " + quote + " inside it");
  }

  private static String dollarQuoteAt(String sql, int i) {
    Matcher m = DOLLAR_QUOTE.matcher(sql).region(i, sql.length());
    return m.lookingAt() ? m.group() : null;
  }
}
