package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static String method(String name) {
    return "  /** Explains " + name + ". */\n  @Deprecated\n  public int " + name + "(int x) {\n"
        + ("    x = x * 31 + " + name.length() + "; // keeps the hash spread over the buckets of the table\n").repeat(6) + "    return x;\n  }\n";
  }

  @Test
  void java_is_cut_at_declarations_with_their_comments_and_annotations() {
    String source = "package p;\n\npublic class Table {\n" + method("first") + "\n" + method("second") + "\n" + method("third") + "}\n";

    List<Chunk> chunks = Chunker.code(Format.JAVA, source);

    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(1).text()).startsWith("/** Explains second. */\n  @Deprecated\n  public int second(int x)");
    assertThat(chunks.get(1).location()).startsWith("public int second(int x) (lines ");
    assertThat(chunks.get(2).text()).contains("third(int x)").doesNotContain("second(int x)");
  }

  @Test
  void python_methods_and_long_sections_are_cut_with_overlap() {
    String body = ("        total = total + value * 2  # doubles each value before it is added to the running total\n").repeat(30);
    String source = "class Totals:\n    def double_all(self, values):\n        total = 0\n" + body + "        return total\n";

    List<Chunk> chunks = Chunker.code(Format.PYTHON, source);

    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(Chunker.MAX_CHARS));
    String lastOfFirst = chunks.get(0).text().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(chunks.get(1).text()).contains(lastOfFirst.strip()); // overlap
  }

  @Test
  void markdown_headings_inside_code_fences_do_not_cut() {
    List<Chunk> chunks = Chunker.markdown("# Title\n\nIntro.\n\n```\n# a shell comment\n```\n\n## Next\n\nMore.", true);

    assertThat(chunks).extracting(Chunk::location).containsExactly("Title (lines 1-8)", "Title > Next (lines 9-11)");
  }
}
