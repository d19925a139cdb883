package dev.maestro.engine.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds personal data in text: e-mail addresses, phone numbers, payment card numbers (Luhn-checked) and national ids. */
final class Pii {
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  // International (+CC ...) or North American (NXX) NXX-XXXX numbers, with the usual separators.
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?\\(?\\d{1,4}\\)?(?:[ .-]?\\d{2,4}){2,4}|\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4})(?!\\w)");
  // 13 to 19 digits, optionally grouped by single spaces or dashes.
  private static final Pattern CARD = Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)");
  // US social security number (not 000, 666 or 9xx areas); UK National Insurance number.
  private static final Pattern SSN = Pattern.compile("(?<!\\d)(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?!\\d)");
  private static final Pattern NINO = Pattern.compile("(?i)\\b(?![DFIQUV])[A-Z](?![DFIQUVO])[A-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b");

  private Pii() {}

  /** The kinds of personal data found, e.g. {@code [e-mail address, card number]}; empty when none. */
  static List<String> find(String text) {
    var kinds = new ArrayList<String>();
    if (text == null || text.isEmpty()) {
      return kinds;
    }
    // Cheap counts first: most arguments have too few digits for any number, and no '@'.
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      }
    }
    if (text.indexOf('@') >= 0 && EMAIL.matcher(text).find()) {
      kinds.add("e-mail address");
    }
    if (digits >= 13 && cardNumber(text)) {
      kinds.add("payment card number");
    }
    if (digits >= 6 && (SSN.matcher(text).find() || NINO.matcher(text).find())) {
      kinds.add("national id number");
    }
    if (digits >= 7 && PHONE.matcher(text).find()) {
      kinds.add("phone number");
    }
    return kinds;
  }

  private static boolean cardNumber(String text) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && luhn(digits)) {
        return true;
      }
    }
    return false;
  }

  /** The Luhn checksum payment card numbers carry (ISO/IEC 7812-1). */
  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
