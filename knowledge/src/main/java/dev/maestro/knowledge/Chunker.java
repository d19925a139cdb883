package dev.maestro.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts documents into passages along their structure: Markdown and HTML at headings, source code
 * at declarations, PDF by page, text by paragraphs; a part longer than {@link #MAX_CHARS} is cut
 * into windows of whole lines that overlap by about {@link #OVERLAP_CHARS}, so a sentence at a cut
 * is whole in one of them.
 */
final class Chunker {
  /** About 300-400 tokens: long enough to carry context, short enough to cite precisely. */
  static final int MAX_CHARS = 1_500;
  static final int OVERLAP_CHARS = 200;
  /** Parts smaller than this are merged with the next (code) so declarations of one line do not become passages of their own. */
  static final int MIN_CHARS = 300;

  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*");

  private Chunker() {}

  static List<Chunk> chunk(Format format, String text) {
    return switch (format) {
      case MARKDOWN -> markdown(text, true);
      case HTML -> markdown(text, false); // lines of the converted page would point nowhere
      case TEXT -> text(text);
      case PDF -> throw new IllegalArgumentException("PDF is chunked by page");
      default -> code(format, text);
    };
  }

  /** PDF: each page on its own, long pages cut into windows. */
  static List<Chunk> pages(List<String> pages) {
    var chunks = new ArrayList<Chunk>();
    for (int p = 0; p < pages.size(); p++) {
      List<String> lines = pages.get(p).lines().toList();
      List<int[]> windows = windows(lines);
      for (int w = 0; w < windows.size(); w++) {
        int[] range = windows.get(w);
        String text = join(lines, range[0], range[1]);
        if (!text.isBlank()) {
          chunks.add(new Chunk(text, "page " + (p + 1) + (windows.size() > 1 ? " part " + (w + 1) : "")));
        }
      }
    }
    return chunks;
  }

  static List<Chunk> text(String text) {
    List<String> lines = text.lines().toList();
    var chunks = new ArrayList<Chunk>();
    for (int[] range : windows(lines)) {
      String body = join(lines, range[0], range[1]);
      if (!body.isBlank()) {
        chunks.add(new Chunk(body, lines(range)));
      }
    }
    return chunks;
  }

  /** Sections at headings (outside code fences); the location is the heading path. */
  static List<Chunk> markdown(String text, boolean lineNumbers) {
    List<String> lines = text.lines().toList();
    var chunks = new ArrayList<Chunk>();
    var path = new String[6];
    int start = 0;
    String sectionPath = "";
    boolean fenced = false;
    for (int i = 0; i <= lines.size(); i++) {
      var heading = i < lines.size() && !fenced ? HEADING.matcher(lines.get(i)) : null;
      boolean isHeading = heading != null && heading.matches();
      if (i < lines.size() && FENCE.matcher(lines.get(i)).matches()) {
        fenced = !fenced;
      }
      if (i == lines.size() || isHeading) {
        section(lines, start, i, sectionPath, lineNumbers, chunks);
        if (isHeading) {
          int level = heading.group(1).length();
          path[level - 1] = heading.group(2).strip();
          for (int l = level; l < 6; l++) {
            path[l] = null;
          }
          var parts = new ArrayList<String>();
          for (String p : path) {
            if (p != null && !p.isEmpty()) {
              parts.add(p);
            }
          }
          sectionPath = String.join(" > ", parts);
          start = i;
        }
      }
    }
    return chunks;
  }

  private static void section(List<String> lines, int from, int to, String path, boolean lineNumbers, List<Chunk> out) {
    List<String> section = lines.subList(from, to);
    int contentFrom = !section.isEmpty() && HEADING.matcher(section.getFirst()).matches() ? 1 : 0;
    if (join(section, contentFrom, section.size()).isBlank()) {
      return; // a heading alone says nothing; its path is in the location of the sections below it
    }
    List<int[]> windows = windows(section);
    for (int[] range : windows) {
      String body = join(section, range[0], range[1]);
      if (body.isBlank()) {
        continue;
      }
      // A window cut from the middle of a section still says which section it is in, for both searches.
      String text = range[0] > 0 && !path.isEmpty() ? path + "\n" + body : body;
      String where = "lines " + (from + range[0] + 1) + "-" + (from + range[1]);
      String location = !lineNumbers ? (windows.size() > 1 ? path + " (part " + (windows.indexOf(range) + 1) + ")" : path)
          : path.isEmpty() ? where : path + " (" + where + ")";
      out.add(new Chunk(text, location));
    }
  }

  // Declarations that start a part of a source file, at any indentation.
  private static final Pattern JAVA_DECL = Pattern.compile(
      "^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|default|synchronized|native|strictfp)\\s+)*"
          + "(?:(?:class|interface|enum|record|@interface)\\s+\\w+|[\\w<>\\[\\],.? ]+\\s+\\w+\\s*\\()");
  private static final Pattern PYTHON_DECL = Pattern.compile("^\\s*(?:async\\s+)?(?:def|class)\\s+\\w+");
  private static final Pattern JS_DECL = Pattern.compile(
      "^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?"
          + "(?:function\\*?\\s*\\w*\\s*\\(|class\\s+\\w+|interface\\s+\\w+|type\\s+\\w+\\s*=|enum\\s+\\w+|(?:const|let|var)\\s+\\w+\\s*=\\s*(?:async\\s*)?(?:\\(|function|\\w+\\s*=>))");
  private static final Pattern GO_DECL = Pattern.compile("^(?:func|type)\\s+");
  private static final Pattern SCALA_DECL = Pattern.compile(
      "^\\s*(?:(?:private|protected|override|final|sealed|abstract|implicit|case|lazy|inline|opaque)(?:\\[\\w+])?\\s+)*(?:def|class|object|trait|enum|given|type)\\s+\\w+");
  private static final Pattern COMMENT_OR_ANNOTATION = Pattern.compile("^\\s*(?://|/\\*|\\*|#|@|\"\"\"|''').*");

  /**
   * Source code: cut where a declaration starts (with the comments and annotations just above it),
   * small neighbouring parts merged; the location names the first declaration and its lines.
   */
  static List<Chunk> code(Format format, String text) {
    Pattern decl = switch (format) {
      case JAVA -> JAVA_DECL;
      case PYTHON -> PYTHON_DECL;
      case JAVASCRIPT, TYPESCRIPT -> JS_DECL;
      case GO -> GO_DECL;
      case SCALA -> SCALA_DECL;
      default -> throw new IllegalArgumentException(format.toString());
    };
    List<String> lines = text.lines().toList();
    var starts = new ArrayList<Integer>();
    starts.add(0);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (decl.matcher(line).find() && !isStatement(line)) {
        int s = i;
        while (s - 1 > starts.getLast() && COMMENT_OR_ANNOTATION.matcher(lines.get(s - 1)).matches()) {
          s--;
        }
        if (s > starts.getLast()) {
          starts.add(s);
        }
      }
    }
    starts.add(lines.size());
    var chunks = new ArrayList<Chunk>();
    int from = 0;
    for (int p = 1; p < starts.size(); p++) {
      int to = starts.get(p);
      boolean last = p == starts.size() - 1;
      if (!last && chars(lines, from, to) < MIN_CHARS) {
        continue; // merge with the next part
      }
      List<String> part = lines.subList(from, to);
      String name = declaration(part, decl);
      for (int[] range : windows(part)) {
        String body = join(part, range[0], range[1]);
        if (!body.isBlank()) {
          String where = "lines " + (from + range[0] + 1) + "-" + (from + range[1]);
          chunks.add(new Chunk(body, name == null ? where : name + " (" + where + ")"));
        }
      }
      from = to;
    }
    return chunks;
  }

  /** Calls and control statements look like declarations to a line pattern; these are not. */
  private static boolean isStatement(String line) {
    String t = line.strip();
    return t.startsWith("return ") || t.startsWith("else ") || t.startsWith("new ") || t.startsWith("throw ") || t.contains(" = new ")
        || t.endsWith(";") && !t.contains("(") || t.startsWith("if ") || t.startsWith("for ") || t.startsWith("while ");
  }

  private static String declaration(List<String> part, Pattern decl) {
    for (String line : part) {
      if (decl.matcher(line).find() && !COMMENT_OR_ANNOTATION.matcher(line).matches()) {
        String t = line.strip();
        int brace = t.indexOf('{');
        if (brace > 0) {
          t = t.substring(0, brace).strip();
        }
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
      }
    }
    return null;
  }

  /** Windows of whole lines, each at most MAX_CHARS (a longer single line is its own window), overlapping by about OVERLAP_CHARS. */
  static List<int[]> windows(List<String> lines) {
    var windows = new ArrayList<int[]>();
    int n = lines.size();
    int start = 0;
    while (start < n) {
      int end = start;
      int size = 0;
      while (end < n && (end == start || size + lines.get(end).length() + 1 <= MAX_CHARS)) {
        size += lines.get(end).length() + 1;
        end++;
      }
      windows.add(new int[] {start, end});
      if (end >= n) {
        break;
      }
      int next = end;
      int overlap = 0;
      while (next - 1 > start && overlap + lines.get(next - 1).length() + 1 <= OVERLAP_CHARS) {
        next--;
        overlap += lines.get(next).length() + 1;
      }
      start = next;
    }
    return windows;
  }

  private static int chars(List<String> lines, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += lines.get(i).length() + 1;
    }
    return n;
  }

  private static String join(List<String> lines, int from, int to) {
    return String.join("\n", lines.subList(from, to)).strip();
  }

  private static String lines(int[] range) {
    return "lines " + (range[0] + 1) + "-" + range[1];
  }
}
