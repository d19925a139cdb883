package dev.maestro.engine.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmailTest {

  @Test
  void keeps_plain_addresses_with_the_domain_in_lower_case_and_drops_duplicates() {
    var email = new Email("bot@corp.example", List.of(" Ann.Lee+ops@Corp.Example ", "ann.lee+ops@corp.example", "ops@corp.example"),
        null, List.of("o'brien@x-y.example"), "  Status  ", "");

    assertThat(email.to()).containsExactly("Ann.Lee+ops@corp.example", "ann.lee+ops@corp.example", "ops@corp.example");
    assertThat(email.cc()).isEmpty();
    assertThat(email.recipients()).hasSize(4).endsWith("o'brien@x-y.example");
    assertThat(email.subject()).isEqualTo("Status");
  }

  @Test
  void names_the_address_that_is_not_one() {
    for (String bad : List.of("bob", "bob@", "@corp.example", "Bob <bob@corp.example>", "bob@corp..example", "bob@-corp.example", "a b@c.example")) {
      assertThatThrownBy(() -> new Email("bot@corp.example", List.of("ok@corp.example"), List.of(bad), null, "s", "b"))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + bad.strip() + "' in 'cc' is not an e-mail address");
    }
  }

  @Test
  void refuses_a_subject_that_could_forge_headers() {
    assertThatThrownBy(() -> new Email("bot@corp.example", List.of("ok@corp.example"), null, null, "Hi\r\nBcc: all@corp.example", "b"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("without line breaks");
  }

  @Test
  void refuses_a_mail_without_recipients_subject_or_body() {
    assertThatThrownBy(() -> new Email("bot@corp.example", List.of(), null, List.of("x@corp.example"), "s", "b"))
        .hasMessageContaining("at least one 'to' recipient");
    assertThatThrownBy(() -> new Email("bot@corp.example", List.of("x@corp.example"), null, null, " ", "b")).hasMessageContaining("'subject'");
    assertThatThrownBy(() -> new Email("bot@corp.example", List.of("x@corp.example"), null, null, "s", null)).hasMessageContaining("'body'");
    assertThatThrownBy(() -> new Email("bot@corp.example", List.of("x@corp.example"), null, null, "s", "a\0b")).hasMessageContaining("NUL");
  }

  @Test
  void refuses_too_many_recipients() {
    List<String> many = IntStream.range(0, 101).mapToObj(i -> "u" + i + "@corp.example").toList();
    assertThatThrownBy(() -> new Email("bot@corp.example", many, null, null, "s", "b")).hasMessageContaining("at most 100 recipients");
  }
}
