package dev.maestro.engine.run;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.ToolSpec;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text protocol for models without native tool calling:
 *
 * <pre>
 * Thought: what I think
 * Action: tool_name
 * Action Input: {"json": "arguments"}
 * </pre>
 *
 * or {@code Final Answer: ...}. Parsing tolerates what real models write: any letter case,
 * markdown emphasis around labels, code fences around the input, single quotes and trailing commas
 * in the JSON, a hallucinated {@code Observation:} after the action, and plain text with no labels
 * at all (taken as the final answer).
 */
final class TextProtocol {

  sealed interface Parsed {}

  record Final(String thought, String answer) implements Parsed {}

  /** @param input the Action Input as written; see {@link #arguments} */
  record Action(String thought, String tool, String input) implements Parsed {}

  private static final String LABEL_EDGE = "[ \\t]*[*_#>`]*[ \\t]*";
  private static final Pattern THOUGHT = label("thought");
  private static final Pattern ACTION = label("action");
  private static final Pattern ACTION_INPUT = label("action[ \\t_]*input");
  // Models often write "... so the answer is clear. Final Answer: 42" on one line: accept it anywhere.
  private static final Pattern FINAL = Pattern.compile("(?i)[*_#>` \\t]*\\bfinal[ \\t_]*answer[ \\t]*[*_]*[ \\t]*:[ \\t]*[*_]*[ \\t]*");
  private static final Pattern OBSERVATION = label("observation");
  private static final Pattern FENCE = Pattern.compile("^```[a-zA-Z]*\\s*\\n?(.*?)\\n?```$", Pattern.DOTALL);

  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .build();

  private TextProtocol() {}

  /** A label at the start of a line: {@code Action:}, {@code **Action:**}, {@code ### Action:} ... */
  private static Pattern label(String word) {
    return Pattern.compile(
        "(?im)^" + LABEL_EDGE + "(?:" + word + ")" + "[ \\t]*[*_]*[ \\t]*:[ \\t]*[*_]*[ \\t]*");
  }

  static Parsed parse(String text) {
    String body = text == null ? "" : text.strip();
    Matcher obs = OBSERVATION.matcher(body);
    if (obs.find()) {
      body = body.substring(0, obs.start()).strip(); // the model imagined the tool's answer: drop it
    }
    Matcher fin = FINAL.matcher(body);
    Matcher act = ACTION.matcher(body);
    boolean hasFinal = fin.find();
    boolean hasAction = act.find(); // "Action Input:" never matches: the label ends at the colon
    if (hasAction && (!hasFinal || act.start() < fin.start())) {
      String thought = thought(body, act.start());
      String rest = body.substring(act.end());
      Matcher input = ACTION_INPUT.matcher(rest);
      String tool;
      String in;
      if (input.find()) {
        tool = rest.substring(0, input.start());
        in = rest.substring(input.end());
      } else {
        tool = rest;
        in = "";
      }
      tool = cleanToolName(tool);
      // "Action: tool_name[input]" and "tool_name(input)" forms carry the input inline
      Matcher inline = Pattern.compile("^([A-Za-z][\\w.-]*)\\s*[\\[(](.*)[\\])]$", Pattern.DOTALL).matcher(tool);
      if (inline.matches() && in.isBlank()) {
        tool = inline.group(1);
        in = inline.group(2);
      }
      return new Action(thought, tool, unfence(in.strip()));
    }
    if (hasFinal) {
      return new Final(thought(body, fin.start()), body.substring(fin.end()).strip());
    }
    Matcher th = THOUGHT.matcher(body);
    if (th.find() && th.start() == 0) {
      return new Final(null, body.substring(th.end()).strip());
    }
    return new Final(null, body);
  }

  private static String thought(String body, int end) {
    String before = body.substring(0, end);
    Matcher th = THOUGHT.matcher(before);
    String t = th.find() ? before.substring(th.end()) : before;
    t = t.strip();
    return t.isEmpty() ? null : t;
  }

  private static String cleanToolName(String raw) {
    String first = raw.strip().lines().findFirst().orElse("").strip();
    return first.replaceAll("^[`*_\"']+|[`*_\"'.]+$", "").strip();
  }

  private static String unfence(String text) {
    Matcher m = FENCE.matcher(text);
    return m.matches() ? m.group(1).strip() : text;
  }

  /**
   * The Action Input as a JSON object. Not-quite-JSON is repaired where the intent is clear; a bare
   * value is given to the tool's only required parameter.
   *
   * @return null when the input cannot be understood as the tool's arguments
   */
  static JsonNode arguments(String input, ToolSpec spec) {
    if (input == null || input.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = LENIENT.readTree(input);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (Exception notJson) {
      // fall through: maybe a bare value
    }
    JsonNode required = spec == null ? null : spec.parameters().path("required");
    if (required != null && required.isArray() && required.size() == 1) {
      String only = required.get(0).asText();
      String value = input.strip().replaceAll("^[\"']|[\"']$", "");
      return Json.MAPPER.createObjectNode().put(only, value);
    }
    return null;
  }

  /** What the system prompt adds so a model without native tools can call them. */
  static String instructions(List<ToolSpec> tools) {
    var sb = new StringBuilder();
    sb.append("You can use these tools:\n\n");
    for (ToolSpec t : tools) {
      sb.append("- ").append(t.name()).append(": ").append(t.description().strip()).append('\n');
      sb.append("  Arguments (JSON Schema): ").append(Json.write(t.parameters())).append('\n');
    }
    sb.append(
        """

        To use a tool, answer exactly in this format and stop:
        Thought: why you need the tool
        Action: the tool name, one of [%s]
        Action Input: the arguments as one JSON object

        You will then receive "Observation: ..." with the result. Repeat as needed.
        When you can answer, reply:
        Thought: why you can answer now
        Final Answer: your answer
        """
            .formatted(String.join(", ", tools.stream().map(ToolSpec::name).toList())));
    return sb.toString();
  }
}
