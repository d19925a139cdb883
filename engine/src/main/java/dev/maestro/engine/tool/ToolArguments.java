package dev.maestro.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reading tool arguments, with refusals that tell the model which argument was wrong. */
public final class ToolArguments {
  private ToolArguments() {}

  /** The string argument, which must be present and not blank. */
  public static String required(JsonNode arguments, String tool, String name) {
    return optional(arguments, tool, name)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> new ToolException(tool + " needs the argument '" + name + "' (a non-empty string)"));
  }

  /** The string argument if given; a value of another type is refused. */
  public static Optional<String> optional(JsonNode arguments, String tool, String name) {
    JsonNode value = arguments == null ? null : arguments.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new ToolException(tool + " argument '" + name + "' must be a string, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(value.toString()));
    }
    return Optional.of(value.asText());
  }

  /** Text cut to 80 characters, for messages that quote what the model sent. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
