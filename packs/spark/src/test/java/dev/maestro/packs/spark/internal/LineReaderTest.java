package dev.maestro.packs.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  static List<String> lines(LineReader r) {
    List<String> out = new ArrayList<>();
    while (r.next()) {
      out.add(r.overlong() ? "<overlong>" : new String(r.buffer(), r.lineStart, r.lineLength, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void splits_lines_drops_carriage_returns_and_keeps_an_unterminated_last_line() {
    LineReader r = new LineReader(new ByteArrayInputStream("a\r\n\nbc\nlast".getBytes(StandardCharsets.UTF_8)));
    assertThat(lines(r)).containsExactly("a", "", "bc", "last");
    assertThat(r.unterminated()).isTrue();
  }

  @Test
  void skips_lines_longer_than_the_limit_and_goes_on() {
    String longLine = "x".repeat(5000);
    LineReader r = new LineReader(new ByteArrayInputStream(("short\n" + longLine + "\nafter\n" + longLine).getBytes(StandardCharsets.UTF_8)), 1024);
    assertThat(lines(r)).containsExactly("short", "<overlong>", "after", "<overlong>");
  }

  @Test
  void finds_newlines_many_bytes_at_a_time_exactly_where_a_byte_loop_does() {
    Random random = new Random(42);
    for (int trial = 0; trial < 5000; trial++) {
      // short and long runs (the search goes 32 and 8 bytes at a time), newlines dense, rare or absent
      byte[] b = new byte[random.nextInt(trial % 2 == 0 ? 40 : 300)];
      int density = 1 + random.nextInt(trial % 3 == 0 ? 10 : 400);
      for (int i = 0; i < b.length; i++) {
        int pick = random.nextInt(density + 2);
        b[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x0B : pick == 2 ? (byte) 0x8A : random.nextInt(256));
        if (b[i] == '\n' && pick != 0) {
          b[i] = 'x';
        }
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int expected = -1;
      for (int i = from; i < b.length; i++) {
        if (b[i] == '\n') {
          expected = i;
          break;
        }
      }
      assertThat(LineReader.newline(b, from, b.length)).isEqualTo(expected);
    }
  }
}
