package dev.maestro.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  private static final Instant AT = Instant.parse("2026-03-01T09:00:00.000001Z");

  // Expected hashes computed outside Java, with Python's hashlib following the format in
  // AuditChain's comment, so the format is what the comment says and cannot drift unnoticed.
  @Test
  void hashes_entries_exactly_as_documented() {
    AuditEntry first = AuditChain.next("team-a", 1, AT.plusNanos(999), new AuditRecord("token:tok_ab12cd34ef56 (alice)", "run.start", "run_1", "ok",
        null, Json.tree("{\"b\":[1,2.5,\"ü\"],\"a\":true}")), AuditChain.GENESIS);
    AuditEntry second = AuditChain.next("team-a", 2, Instant.parse("2026-03-01T09:00:01.5Z"),
        new AuditRecord("engine", "safety.decision", "run_1", "block", "no-mail", null), first.hash());

    assertThat(first.at()).isEqualTo(AT);
    assertThat(first.hash()).isEqualTo("7da5dd22a2e49882311f41504c7f9120ffaa9864416fe5c0f53e3083a0804873");
    assertThat(second.hash()).isEqualTo("acafa018fcbf24f84dc95d069f9428bbe675e917de5f63b54378cc5f02fc68f9");
    assertThat(AuditChain.verify(List.of(first, second), 0, null).intact()).isTrue();
  }

  @Test
  void encodes_fields_so_that_moving_text_between_them_changes_the_hash() {
    var hashes = new ArrayList<String>();
    hashes.add(hash(new AuditRecord("ab", "c", null, null, null, null)));
    hashes.add(hash(new AuditRecord("a", "bc", null, null, null, null)));
    hashes.add(hash(new AuditRecord("a", "bc", "", null, null, null)));
    hashes.add(hash(new AuditRecord("a", "bc", null, null, "ok", null)));
    hashes.add(hash(new AuditRecord("a", "bc", null, "ok", null, null)));
    hashes.add(hash(new AuditRecord("a", "bc", "ok", null, null, null)));
    hashes.add(hash(new AuditRecord("a", "bc", null, null, null, Json.tree("\"\""))));

    assertThat(hashes).doesNotHaveDuplicates();
  }

  private static String hash(AuditRecord r) {
    return AuditChain.next("w", 1, AT, r, AuditChain.GENESIS).hash();
  }

  @Test
  void writes_canonical_json_that_reads_back_to_itself() {
    String canonical = AuditChain.canonicalJson(Json.tree("{ \"z\": 1.10, \"a\": [ {\"y\": 1e2, \"x\": -0.0}, 10000000000000000000000, \"\\u0000\\n\" ], \"m\": null }"));

    assertThat(canonical).isEqualTo("{\"a\":[{\"x\":-0.0,\"y\":100.0},10000000000000000000000,\"\\u0000\\n\"],\"m\":null,\"z\":1.1}");
    assertThat(AuditChain.canonicalJson(Json.tree(canonical))).isEqualTo(canonical);
    assertThat(AuditChain.canonicalJson(Json.MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal("2.50")))).isEqualTo("2.5");
    assertThat(AuditChain.canonicalJson(Json.MAPPER.getNodeFactory().numberNode(7L))).isEqualTo("7");
  }

  @Test
  void reports_a_seq_that_repeats_or_a_first_entry_not_linked_to_zeros() {
    AuditEntry first = AuditChain.next("w", 1, AT, AuditRecord.of("engine", "run.start", "r", "ok"), AuditChain.GENESIS);
    AuditEntry notFirst = AuditChain.next("w", 1, AT, AuditRecord.of("engine", "run.start", "r", "ok"), "f".repeat(64));

    assertThat(AuditChain.verify(List.of(first, first), 0, null).problem()).contains("entry 1 appears again after entry 1");
    assertThat(AuditChain.verify(List.of(notFirst), 0, null))
        .isEqualTo(new Verification(false, 1, 1L, "entry 1 does not start the chain: its prev_hash is " + "f".repeat(64) + ", not 64 zeros"));
  }
}
