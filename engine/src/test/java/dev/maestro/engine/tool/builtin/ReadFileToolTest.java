package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadFileToolTest {
  @TempDir Path temp;
  Path workdir;
  Path outside;
  ToolContext context;
  final ReadFileTool tool = new ReadFileTool();

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectory(temp.resolve("work"));
    outside = Files.writeString(temp.resolve("secret.txt"), "outside the working directory");
    context = new ToolContext("run-1", "agent-1", workdir);
  }

  private String read(String path) {
    return tool.call(args(path), context);
  }

  private static JsonNode args(String path) {
    return Json.MAPPER.createObjectNode().put("path", path);
  }

  @Test
  void reads_a_text_file_relative_to_the_working_directory() throws IOException {
    Files.createDirectories(workdir.resolve("src"));
    Files.writeString(workdir.resolve("src/notes.md"), "héllo\nwörld\n");

    assertThat(read("src/notes.md")).isEqualTo("héllo\nwörld\n");
    assertThat(read("./src/../src/notes.md")).isEqualTo("héllo\nwörld\n");
  }

  @Test
  void reads_an_absolute_path_that_is_inside_the_working_directory() throws IOException {
    Files.writeString(workdir.resolve("a.txt"), "inside");

    assertThat(read(workdir.resolve("a.txt").toString())).isEqualTo("inside");
  }

  @Test
  void refuses_a_relative_path_that_leaves_the_working_directory() {
    assertThatThrownBy(() -> read("../secret.txt"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("'../secret.txt' leaves the working directory")
        .hasMessageContaining("give a path inside it");
  }

  @Test
  void refuses_an_absolute_path_outside_the_working_directory() {
    assertThatThrownBy(() -> read("/etc/passwd"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("'/etc/passwd' leaves the working directory");
  }

  @Test
  void refuses_a_symbolic_link_that_points_outside() throws IOException {
    Files.createSymbolicLink(workdir.resolve("innocent.txt"), outside);
    Files.createSymbolicLink(workdir.resolve("up"), temp);

    assertThatThrownBy(() -> read("innocent.txt"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("symbolic link to a place outside the working directory")
        .hasMessageNotContaining(outside.toString());
    assertThatThrownBy(() -> read("up/secret.txt")).isInstanceOf(ToolException.class).hasMessageContaining("symbolic link");
  }

  @Test
  void allows_a_symbolic_link_that_points_inside() throws IOException {
    Files.createDirectories(workdir.resolve("docs"));
    Files.writeString(workdir.resolve("docs/real.txt"), "the real one");
    Files.createSymbolicLink(workdir.resolve("alias.txt"), workdir.resolve("docs/real.txt"));
    Files.createSymbolicLink(workdir.resolve("relative-alias.txt"), Path.of("docs/real.txt"));

    assertThat(read("alias.txt")).isEqualTo("the real one");
    assertThat(read("relative-alias.txt")).isEqualTo("the real one");
  }

  @Test
  void refuses_a_directory() throws IOException {
    Files.createDirectories(workdir.resolve("src"));

    assertThatThrownBy(() -> read("src")).isInstanceOf(ToolException.class).hasMessageContaining("'src' is a directory");
    assertThatThrownBy(() -> read(".")).isInstanceOf(ToolException.class).hasMessageContaining("is a directory");
  }

  @Test
  void refuses_a_missing_file_saying_so() {
    assertThatThrownBy(() -> read("nope.txt")).isInstanceOf(ToolException.class).hasMessageContaining("there is no file 'nope.txt'");
  }

  @Test
  void refuses_a_binary_file() throws IOException {
    Files.write(workdir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});

    assertThatThrownBy(() -> read("image.png")).isInstanceOf(ToolException.class).hasMessageContaining("looks binary");
  }

  @Test
  void refuses_a_call_without_a_path() {
    assertThatThrownBy(() -> tool.call(Json.MAPPER.createObjectNode(), context))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("needs the argument 'path'");
  }

  @Test
  void truncates_an_oversized_file_with_a_notice() throws IOException {
    Files.writeString(workdir.resolve("big.txt"), "0123456789".repeat(10));
    var small = new ReadFileTool(25);

    String out = small.call(args("big.txt"), context);

    assertThat(out).isEqualTo("0123456789012345678901234\n[truncated: file is 100 bytes; showing the first 25]");
  }

  @Test
  void truncation_does_not_split_a_multibyte_character() throws IOException {
    // "aé€" is 1 + 2 + 3 bytes; a 5-byte cap falls inside the euro sign.
    Files.writeString(workdir.resolve("utf8.txt"), "aé€ and more", StandardCharsets.UTF_8);

    String out = new ReadFileTool(5).call(args("utf8.txt"), context);

    assertThat(out).startsWith("aé\n[truncated: file is 15 bytes; showing the first 3]");
  }

  @Test
  void a_file_exactly_at_the_cap_is_not_truncated() throws IOException {
    Files.writeString(workdir.resolve("exact.txt"), "12345");

    assertThat(new ReadFileTool(5).call(args("exact.txt"), context)).isEqualTo("12345");
  }

  @Test
  void is_idempotent_and_low_risk() {
    assertThat(tool.spec().idempotent()).isTrue();
    assertThat(tool.idempotent(args("x"))).isTrue();
    assertThat(tool.spec().name()).isEqualTo("read_file");
    assertThat(tool.spec().parameters().path("required").toString()).contains("path");
  }
}
