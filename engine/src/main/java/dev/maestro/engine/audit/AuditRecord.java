package dev.maestro.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import java.util.regex.Pattern;

/**
 * What happened, to be appended to a workspace's audit trail: who did what to which thing, what was
 * decided and under which policy. NUL characters, which PostgreSQL text cannot hold, are replaced
 * with U+FFFD so that an entry is never lost over one.
 *
 * @param actor who: {@code token:tok_ab12cd34ef56 (alice)}, {@code engine}; 1-200 characters
 * @param action what, as {@code noun.verb}: {@code run.start}, {@code agent.update}, {@code safety.decision},
 *     {@code approval.approve}; lower-case letters, digits, '.', '-', '_', at most 64
 * @param target which thing, usually an id ({@code run_...}, {@code incident-analyst}); may be null; at most 1,000 characters
 * @param decision the outcome: {@code allow}, {@code log}, {@code require_approval}, {@code block},
 *     {@code approved}, {@code rejected}, {@code ok}, {@code refused}, ...; lower-case letters and '_', at most 32; may be null
 * @param policy the id of the policy that decided, or null
 * @param details anything else, as JSON; null when there is nothing
 */
public record AuditRecord(String actor, String action, String target, String decision, String policy, JsonNode details) {
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final Pattern DECISION = Pattern.compile("[a-z][a-z_]{0,31}");

  public AuditRecord {
    actor = clean(actor);
    target = clean(target);
    policy = clean(policy);
    if (actor == null || actor.isBlank() || actor.length() > 200) {
      throw new InvalidInputException("audit actor '" + actor + "' is not valid; name who acted in 1-200 characters, such as token:tok_ab12cd34ef56 (alice)");
    }
    if (action == null || !ACTION.matcher(action).matches()) {
      throw new InvalidInputException("audit action '" + action + "' is not valid; use lower-case noun.verb such as run.start, at most 64 characters");
    }
    if (target != null && target.length() > 1000) {
      throw new InvalidInputException("audit target is " + target.length() + " characters long; at most 1000 are kept");
    }
    if (decision != null && !DECISION.matcher(decision).matches()) {
      throw new InvalidInputException("audit decision '" + decision + "' is not valid; use a lower-case word such as allow, block, approved or ok");
    }
    if (policy != null && (policy.isBlank() || policy.length() > 64)) {
      throw new InvalidInputException("audit policy '" + policy + "' is not a policy id; give 1-64 characters or none");
    }
    if (details != null && (details.isNull() || details.isMissingNode())) {
      details = null;
    }
  }

  /** A record without policy or details. */
  public static AuditRecord of(String actor, String action, String target, String decision) {
    return new AuditRecord(actor, action, target, decision, null, null);
  }

  private static String clean(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
