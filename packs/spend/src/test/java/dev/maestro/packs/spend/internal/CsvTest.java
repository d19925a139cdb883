package dev.maestro.packs.spend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  private static List<List<String>> read(String text, List<Long> lines) throws Exception {
    Csv csv = new Csv(new StringReader(text));
    List<List<String>> out = new ArrayList<>();
    for (List<String> r = csv.next(); r != null; r = csv.next()) {
      out.add(r);
      lines.add(csv.line());
    }
    return out;
  }

  @Test
  void reads_quoted_fields_crlf_blank_lines_and_empty_fields_with_their_lines() throws Exception {
    List<Long> lines = new ArrayList<>();
    var rows = read("a,b,c\r\n\r\n1,\"x, \"\"y\"\"\nz\",\n2,,3", lines);
    assertThat(rows).containsExactly(List.of("a", "b", "c"), List.of("1", "x, \"y\"\nz", ""), List.of("2", "", "3"));
    assertThat(lines).containsExactly(1L, 3L, 5L);
  }

  @Test
  void fields_longer_than_the_read_buffer_are_read_whole() throws Exception {
    String big = "x".repeat(200_000);
    var rows = read("k," + big + ",end\n\"" + big + "\",2\n", new ArrayList<>());
    assertThat(rows.get(0)).containsExactly("k", big, "end");
    assertThat(rows.get(1)).containsExactly(big, "2");
  }
}
