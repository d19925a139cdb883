package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.TextProtocol.Action;
import dev.maestro.engine.run.TextProtocol.Final;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolSpec;
import org.junit.jupiter.api.Test;

class TextProtocolTest {
  private static final ToolSpec READ = new ToolSpec("read_file", "Reads a file.",
      Json.tree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"), RiskLevel.LOW, true, null);

  @Test
  void parses_the_canonical_action_format() {
    var parsed = TextProtocol.parse("Thought: I need the file.\nAction: read_file\nAction Input: {\"path\": \"a.txt\"}");
    assertThat(parsed).isEqualTo(new Action("I need the file.", "read_file", "{\"path\": \"a.txt\"}"));
  }

  @Test
  void tolerates_markdown_case_fences_and_a_hallucinated_observation() {
    var parsed = TextProtocol.parse("""
        **Thought:** I need the file.
        **action**: `read_file`
        ACTION INPUT:
        ```json
        {'path': 'a.txt',}
        ```
        Observation: the file says hello
        Final Answer: hello""");
    assertThat(parsed).isInstanceOf(Action.class);
    var action = (Action) parsed;
    assertThat(action.tool()).isEqualTo("read_file");
    assertThat(action.thought()).isEqualTo("I need the file.");
    assertThat(TextProtocol.arguments(action.input(), READ)).isEqualTo(Json.tree("{\"path\":\"a.txt\"}"));
  }

  @Test
  void reads_inline_input_forms_and_bare_values() {
    var bracket = (Action) TextProtocol.parse("Action: read_file[a.txt]");
    assertThat(bracket.tool()).isEqualTo("read_file");
    assertThat(TextProtocol.arguments(bracket.input(), READ)).isEqualTo(Json.tree("{\"path\":\"a.txt\"}"));
    var bare = (Action) TextProtocol.parse("Action: read_file\nAction Input: \"notes/b.md\"");
    assertThat(TextProtocol.arguments(bare.input(), READ)).isEqualTo(Json.tree("{\"path\":\"notes/b.md\"}"));
  }

  @Test
  void a_missing_action_input_means_no_arguments() {
    var parsed = (Action) TextProtocol.parse("Thought: list\nAction: list_things");
    assertThat(TextProtocol.arguments(parsed.input(), null)).isEqualTo(Json.MAPPER.createObjectNode());
  }

  @Test
  void unusable_input_for_a_tool_with_several_parameters_is_null() {
    var spec = new ToolSpec("t", "d", Json.tree("{\"type\":\"object\",\"required\":[\"a\",\"b\"]}"), null, true, null);
    assertThat(TextProtocol.arguments("just words", spec)).isNull();
  }

  @Test
  void final_answer_may_follow_text_on_the_same_line() {
    assertThat(TextProtocol.parse("Thought: easy\nFinal Answer: 42")).isEqualTo(new Final("easy", "42"));
    assertThat(TextProtocol.parse("I know this. Final answer: 42")).isEqualTo(new Final("I know this.", "42"));
    assertThat(TextProtocol.parse("## Final Answer:\nmulti\nline")).isEqualTo(new Final(null, "multi\nline"));
  }

  @Test
  void plain_text_without_labels_is_the_final_answer() {
    assertThat(TextProtocol.parse("Paris is the capital of France.")).isEqualTo(new Final(null, "Paris is the capital of France."));
    assertThat(TextProtocol.parse("Thought: just thinking aloud")).isEqualTo(new Final(null, "just thinking aloud"));
  }

  @Test
  void an_action_before_a_final_answer_wins_and_a_final_answer_before_an_action_wins() {
    assertThat(TextProtocol.parse("Action: read_file\nAction Input: {}\nFinal Answer: guessed")).isInstanceOf(Action.class);
    assertThat(TextProtocol.parse("Final Answer: done\nAction: read_file")).isEqualTo(new Final(null, "done\nAction: read_file"));
  }

  @Test
  void instructions_list_every_tool_and_the_format() {
    String text = TextProtocol.instructions(java.util.List.of(READ));
    assertThat(text).contains("- read_file: Reads a file.").contains("Action Input:").contains("Final Answer:");
  }
}
