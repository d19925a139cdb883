package dev.maestro.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.TestClock;
import dev.maestro.engine.internal.Json;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditLog} does, including that {@link AuditLog#verify()} finds entries changed
 * or removed behind the store's back (through the hooks each implementation's test provides, plain
 * SQL for the JDBC store); extended by each implementation's test.
 */
public abstract class AuditLogContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.000001Z");
  protected static final String WORKSPACE = "team-a";

  protected TestClock clock;
  protected AuditLog log;

  /** The log of a workspace over storage shared by every call in one test, empty at its start, reading time from the clock. */
  protected abstract AuditLog open(String workspaceId, Clock clock);

  /** Sets a column ({@code actor}, {@code details} as JSON text, or {@code hash}) of a stored entry of {@link #WORKSPACE}, bypassing the store. */
  protected abstract void change(long seq, String column, String value);

  /** Removes a stored entry of {@link #WORKSPACE}, bypassing the store. */
  protected abstract void remove(long seq);

  @BeforeEach
  void openLog() {
    clock = new TestClock(T0);
    log = open(WORKSPACE, clock);
  }

  private static AuditRecord record(String action, String target) {
    return new AuditRecord("token:tok_ab12cd34ef56 (alice)", action, target, "ok", null, null);
  }

  private List<AuditEntry> appendSome(int n) {
    var out = new ArrayList<AuditEntry>();
    for (int i = 1; i <= n; i++) {
      out.add(log.append(new AuditRecord(i % 2 == 0 ? "engine" : "token:tok_ab12cd34ef56 (alice)", i % 3 == 0 ? "agent.update" : "run.start",
          "run_" + i, i % 2 == 0 ? "allow" : "ok", i % 2 == 0 ? "default" : null, Json.tree("{\"i\":" + i + "}"))));
      clock.advance(Duration.ofSeconds(1));
    }
    return out;
  }

  @Test
  void chains_each_entry_to_the_one_before_from_64_zeros() {
    AuditEntry first = log.append(new AuditRecord("token:tok_ab12cd34ef56 (alice)", "run.start", "run_1", "ok", null,
        Json.tree("{\"zeta\":1,\"alpha\":{\"b\":[1,2.5,\"ü\"],\"a\":null},\"big\":123456789012345678901234567890}")));
    AuditEntry second = log.append(new AuditRecord("engine", "safety.decision", "run_1", "require_approval", "prod-writes", null));

    assertThat(first.workspaceId()).isEqualTo(WORKSPACE);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.at()).isEqualTo(T0);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS).hasSize(64);
    assertThat(first.hash()).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hash(first));
    assertThat(first.details().toString()).isEqualTo("{\"alpha\":{\"a\":null,\"b\":[1,2.5,\"ü\"]},\"big\":123456789012345678901234567890,\"zeta\":1}");
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.hash()).isEqualTo(AuditChain.hash(second));
    assertThat(second.policy()).isEqualTo("prod-writes");
    assertThat(second.details()).isNull();
  }

  @Test
  void reads_back_exactly_what_append_returned() {
    List<AuditEntry> appended = appendSome(5);

    assertThat(log.list(AuditQuery.first(100))).containsExactlyElementsOf(appended);
    assertThat(log.head()).contains(appended.getLast());
    assertThat(log.verify()).isEqualTo(new Verification(true, 5, null, null));
  }

  @Test
  void has_no_head_and_verifies_when_empty() {
    assertThat(log.head()).isEmpty();
    assertThat(log.list(AuditQuery.first(10))).isEmpty();
    assertThat(log.verify()).isEqualTo(new Verification(true, 0, null, null));
  }

  @Test
  void filters_by_actor_action_prefix_target_decision_time_and_seq_oldest_first() {
    List<AuditEntry> all = appendSome(12);

    assertThat(log.list(new AuditQuery("engine", null, null, null, null, null, null, 100)))
        .extracting(AuditEntry::seq).containsExactly(2L, 4L, 6L, 8L, 10L, 12L);
    assertThat(log.list(new AuditQuery(null, "agent.", null, null, null, null, null, 100)))
        .extracting(AuditEntry::seq).containsExactly(3L, 6L, 9L, 12L);
    assertThat(log.list(new AuditQuery(null, "run", null, null, null, null, null, 100))).hasSize(8);
    assertThat(log.list(new AuditQuery(null, "run_", null, null, null, null, null, 100))).isEmpty();
    assertThat(log.list(new AuditQuery(null, "run%", null, null, null, null, null, 100))).isEmpty();
    assertThat(log.list(new AuditQuery(null, null, "run_7", null, null, null, null, 100))).extracting(AuditEntry::seq).containsExactly(7L);
    assertThat(log.list(new AuditQuery(null, null, null, "allow", null, null, null, 100))).hasSize(6);
    assertThat(log.list(new AuditQuery(null, null, null, null, all.get(3).at(), all.get(6).at(), null, 100)))
        .extracting(AuditEntry::seq).containsExactly(4L, 5L, 6L);
    assertThat(log.list(new AuditQuery(null, null, null, null, null, null, 9L, 100))).extracting(AuditEntry::seq).containsExactly(10L, 11L, 12L);
    assertThat(log.list(new AuditQuery("engine", "run.", null, "allow", null, null, 4L, 2)))
        .extracting(AuditEntry::seq).containsExactly(8L, 10L);
  }

  @Test
  void pages_with_after_seq_and_refuses_pages_over_the_maximum() {
    appendSome(7);
    var seen = new ArrayList<Long>();
    AuditQuery page = AuditQuery.first(3);
    for (List<AuditEntry> p = log.list(page); !p.isEmpty(); p = log.list(page)) {
      p.forEach(e -> seen.add(e.seq()));
      page = page.after(p.getLast().seq());
    }

    assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThatThrownBy(() -> log.list(AuditQuery.first(1001)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 1000");
  }

  @Test
  void exports_matching_entries_as_json_lines_in_snake_case() {
    List<AuditEntry> all = appendSome(4);
    var out = new StringWriter();

    log.export(new AuditQuery(null, "run.", null, null, null, null, null, Integer.MAX_VALUE), out);

    String[] lines = out.toString().split("\n");
    assertThat(out.toString()).endsWith("\n");
    assertThat(lines).hasSize(3);
    JsonNode second = Json.tree(lines[1]);
    assertThat(second.get("workspace_id").asText()).isEqualTo(WORKSPACE);
    assertThat(second.get("seq").asLong()).isEqualTo(2);
    assertThat(Instant.parse(second.get("at").asText())).isEqualTo(all.get(1).at());
    assertThat(second.get("prev_hash").asText()).isEqualTo(all.get(0).hash());
    assertThat(second.get("hash").asText()).isEqualTo(all.get(1).hash());
    assertThat(second.get("policy").asText()).isEqualTo("default");
    assertThat(second.get("details")).isEqualTo(Json.tree("{\"i\":2}"));
    assertThat(Json.read(lines[2], AuditEntry.class)).isEqualTo(all.get(3));
  }

  @Test
  void starts_a_separate_chain_in_each_workspace() {
    appendSome(3);
    AuditLog other = open("team-b", clock);

    assertThat(other.list(AuditQuery.first(10))).isEmpty();
    assertThat(other.head()).isEmpty();
    AuditEntry first = other.append(record("run.start", "run_b"));
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(first.workspaceId()).isEqualTo("team-b");
    assertThat(log.list(AuditQuery.first(10))).hasSize(3);
    assertThat(log.verify().intact()).isTrue();
    assertThat(other.verify().entriesChecked()).isEqualTo(1);
  }

  @Test
  void keeps_the_chain_gapless_and_intact_under_1000_concurrent_appends_from_8_threads() throws Exception {
    int threadsCount = 8;
    int each = 125;
    var start = new CountDownLatch(1);
    var results = new ArrayList<Future<List<AuditEntry>>>();
    try (ExecutorService threads = Executors.newFixedThreadPool(threadsCount)) {
      for (int t = 0; t < threadsCount; t++) {
        String actor = "thread-" + t;
        results.add(threads.submit(() -> {
          start.await();
          var mine = new ArrayList<AuditEntry>();
          for (int i = 0; i < each; i++) {
            mine.add(log.append(new AuditRecord(actor, "run.start", "run_" + i, "ok", null, null)));
          }
          return mine;
        }));
      }
      start.countDown();
    }

    var returned = new HashSet<Long>();
    for (Future<List<AuditEntry>> r : results) {
      for (AuditEntry e : r.get()) {
        assertThat(returned.add(e.seq())).as("seq %d returned twice", e.seq()).isTrue();
      }
    }
    assertThat(returned).hasSize(1000);
    var stored = new ArrayList<AuditEntry>();
    AuditQuery page = AuditQuery.first(1000);
    stored.addAll(log.list(page));
    assertThat(stored).extracting(AuditEntry::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
    assertThat(stored).filteredOn(e -> e.actor().equals("thread-3")).hasSize(each);
    assertThat(log.verify()).isEqualTo(new Verification(true, 1000, null, null));
    assertThat(log.head()).map(AuditEntry::seq).contains(1000L);
  }

  @Test
  void finds_an_entry_whose_details_were_edited() {
    appendSome(8);
    change(5, "details", "{\"i\":500}");

    Verification v = log.verify();

    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.entriesChecked()).isEqualTo(5);
    assertThat(v.problem()).startsWith("entry 5 (").contains("was changed after it was written");
  }

  @Test
  void finds_an_entry_whose_actor_was_edited() {
    appendSome(8);
    change(3, "actor", "token:tok_000000000000 (mallory)");

    Verification v = log.verify();

    assertThat(v.firstBadSeq()).isEqualTo(3);
    assertThat(v.problem()).contains("entry 3").contains("was changed after it was written");
  }

  @Test
  void finds_a_deleted_entry_in_the_middle() {
    appendSome(8);
    remove(4);

    Verification v = log.verify();

    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(4);
    assertThat(v.problem()).isEqualTo("entry 4 is missing: seq jumps from 3 to 5; it was deleted");
  }

  @Test
  void finds_deleted_first_entries() {
    appendSome(4);
    remove(1);
    remove(2);

    assertThat(log.verify()).isEqualTo(new Verification(false, 1, 1L, "entries 1 to 2 are missing: the log starts at seq 3; they were deleted"));
  }

  @Test
  void finds_an_entry_rewritten_together_with_its_hash_at_the_next_entry() {
    List<AuditEntry> all = appendSome(6);
    AuditEntry e = all.get(1);
    AuditEntry forged = new AuditEntry(e.workspaceId(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.decision(), e.policy(),
        Json.tree("{\"i\":-1}"), e.prevHash(), null);
    change(2, "details", "{\"i\":-1}");
    change(2, "hash", AuditChain.hash(forged));

    Verification v = log.verify();

    assertThat(v.firstBadSeq()).isEqualTo(3);
    assertThat(v.problem()).contains("entry 3 does not follow entry 2");
  }

  @Test
  void needs_an_anchor_kept_elsewhere_to_find_the_newest_entries_deleted() {
    appendSome(6);
    AuditEntry head = log.head().orElseThrow();
    assertThat(log.verify(head.seq(), head.hash()).intact()).isTrue();
    assertThat(log.verify(4, AuditChain.GENESIS).problem()).contains("entry 4 is not the entry recorded earlier");
    remove(6);
    remove(5);

    Verification v = log.verify(head.seq(), head.hash());

    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.problem()).contains("entries 5 to 6 are missing").contains("newest entries were deleted");
  }

  @Test
  void keeps_records_with_characters_databases_dislike() {
    AuditEntry e = log.append(new AuditRecord("token:tok_ab12cd34ef56 (a\0lice)", "run.start", "run_\0x", null, null,
        Json.tree("{\"text\":\"nul \\u0000 and emoji 😀\",\"n\":1.10}")));

    assertThat(e.actor()).isEqualTo("token:tok_ab12cd34ef56 (a\uFFFDlice)");
    assertThat(e.target()).isEqualTo("run_\uFFFDx");
    assertThat(e.decision()).isNull();
    assertThat(e.details().get("n").asText()).isEqualTo("1.1");
    assertThat(log.list(AuditQuery.first(1))).containsExactly(e);
    assertThat(log.verify().intact()).isTrue();
  }

  @Test
  void refuses_records_without_actor_or_with_a_malformed_action() {
    assertThatThrownBy(() -> log.append(new AuditRecord(" ", "run.start", null, "ok", null, null)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("audit actor");
    assertThatThrownBy(() -> log.append(new AuditRecord("engine", "Run Start", null, "ok", null, null)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("audit action 'Run Start'");
    assertThatThrownBy(() -> log.append(new AuditRecord("engine", "run.start", null, "OK!", null, null)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("audit decision 'OK!'");
    assertThat(log.head()).isEmpty();
  }
}
