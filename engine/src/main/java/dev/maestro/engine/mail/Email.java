package dev.maestro.engine.mail;

import dev.maestro.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One message to send: plain text from one sender to at least one {@code to} recipient. Built
 * only from valid values, so a mailer or an outbox never sees a header that could be forged
 * (line breaks in the subject) or an address it cannot use.
 *
 * @param from the sender's address
 * @param to the main recipients, as plain addresses ({@code name@example.com}); duplicates are dropped
 * @param cc copied recipients, possibly none
 * @param bcc blind-copied recipients, possibly none
 * @param subject one line of at most {@value #MAX_SUBJECT_CHARS} characters
 * @param body the text, at most {@value #MAX_BODY_CHARS} characters
 */
public record Email(String from, List<String> to, List<String> cc, List<String> bcc, String subject, String body) {
  /** RFC 5322 §2.1.1: a line may hold at most 998 characters. */
  public static final int MAX_SUBJECT_CHARS = 998;
  public static final int MAX_BODY_CHARS = 1024 * 1024;
  public static final int MAX_RECIPIENTS = 100;

  // A pragmatic subset of RFC 5322 addr-spec: dot-atom local part, host name of letters, digits and hyphens.
  private static final Pattern ADDRESS = Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /**
   * @throws InvalidInputException naming the field and the value that is not acceptable
   */
  public Email {
    from = address("from", from);
    to = addresses("to", to);
    cc = addresses("cc", cc);
    bcc = addresses("bcc", bcc);
    if (to.isEmpty()) {
      throw new InvalidInputException("an e-mail needs at least one 'to' recipient");
    }
    int recipients = to.size() + cc.size() + bcc.size();
    if (recipients > MAX_RECIPIENTS) {
      throw new InvalidInputException("an e-mail may have at most " + MAX_RECIPIENTS + " recipients (to, cc and bcc together), not " + recipients);
    }
    if (subject == null || subject.isBlank()) {
      throw new InvalidInputException("an e-mail needs a non-empty 'subject'");
    }
    subject = subject.strip();
    if (subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidInputException("the 'subject' must be one line of text, without line breaks or control characters");
    }
    if (subject.length() > MAX_SUBJECT_CHARS) {
      throw new InvalidInputException("the 'subject' is " + subject.length() + " characters long; keep it to " + MAX_SUBJECT_CHARS);
    }
    if (body == null) {
      throw new InvalidInputException("an e-mail needs a 'body' (plain text)");
    }
    if (body.indexOf('\0') >= 0) {
      throw new InvalidInputException("the 'body' contains NUL characters; send plain text");
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw new InvalidInputException("the 'body' is " + body.length() + " characters long; keep it to " + MAX_BODY_CHARS);
    }
  }

  /** Every recipient: to, then cc, then bcc. */
  public List<String> recipients() {
    var all = new ArrayList<String>(to);
    all.addAll(cc);
    all.addAll(bcc);
    return all;
  }

  /**
   * Checks one address and returns it stripped, with its domain in lower case.
   *
   * @param field which field it came from, for the message
   * @throws InvalidInputException if it is not a plain address such as {@code name@example.com}
   */
  public static String address(String field, String address) {
    String a = address == null ? "" : address.strip();
    if (!ADDRESS.matcher(a).matches() || a.length() > 254) { // RFC 5321 §4.5.3.1.3: a path holds at most 256 octets with its <>
      throw new InvalidInputException("'" + abbreviate(a) + "' in '" + field + "' is not an e-mail address; give plain addresses such as name@example.com");
    }
    int at = a.lastIndexOf('@');
    return a.substring(0, at + 1) + a.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  private static List<String> addresses(String field, List<String> given) {
    var unique = new LinkedHashSet<String>();
    for (String a : given == null ? List.<String>of() : given) {
      unique.add(address(field, a));
    }
    return List.copyOf(unique);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
