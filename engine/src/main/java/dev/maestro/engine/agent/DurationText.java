package dev.maestro.engine.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.maestro.engine.InvalidInputException;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as people write them ({@code 90s}, {@code 5m}, {@code 2h}) or in ISO-8601. */
final class DurationText extends StdDeserializer<Duration> {
  private static final long serialVersionUID = 1L;
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  DurationText() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return parse(parser.getValueAsString());
  }

  static Duration parse(String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException | NullPointerException e) {
      throw new InvalidInputException("'" + text + "' is not a duration; write it as 90s, 5m, 1h, 2d or PT5M");
    }
  }
}
