package dev.maestro.engine.agent;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.maestro.engine.InvalidInputException;
import java.time.Duration;

/**
 * Bounds on one run of an agent.
 *
 * @param maxSteps model calls allowed before the run fails (10 unless set)
 * @param tokenBudget input plus output tokens allowed over the run; null for no budget
 * @param timeout wall-clock time one execution of the run may take (a resumed run gets it anew);
 *     null for none. Accepts ISO-8601 ({@code PT5M}) or {@code 90s}, {@code 5m}, {@code 1h}
 */
public record Limits(
    Integer maxSteps, Long tokenBudget, @JsonDeserialize(using = DurationText.class) Duration timeout) {

  public static final int DEFAULT_MAX_STEPS = 10;
  public static final Limits DEFAULT = new Limits(DEFAULT_MAX_STEPS, null, null);

  /**
   * Reads a duration as people write it ({@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}) or in ISO-8601.
   *
   * @throws InvalidInputException naming the field and the accepted forms
   */
  public static Duration parseDuration(String text, String field) {
    try {
      return DurationText.parse(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(field + ": " + e.getMessage());
    }
  }

  public Limits {
    maxSteps = maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps;
    if (maxSteps < 1 || maxSteps > 1000) {
      throw new InvalidInputException("limits.max_steps is " + maxSteps + "; use a number from 1 to 1000");
    }
    if (tokenBudget != null && tokenBudget < 1) {
      throw new InvalidInputException("limits.token_budget is " + tokenBudget + "; use a positive number of tokens, or leave it out");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new InvalidInputException("limits.timeout is " + timeout + "; use a positive duration such as 90s or 5m");
    }
  }
}
