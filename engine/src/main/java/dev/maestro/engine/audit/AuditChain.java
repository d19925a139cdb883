package dev.maestro.engine.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * How audit entries are chained, shared by every {@link AuditLog} so that any of them (or a program
 * reading an export) can check any chain.
 *
 * <p>An entry's hash is SHA-256, in lower-case hexadecimal, over the bytes of {@code maestro-audit-v1}
 * followed by ten fields in this order: workspace id, seq (decimal), at (UTC,
 * {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}, always six fractional digits), actor, action, target,
 * decision, policy, details (canonical JSON, below), prev_hash. Each field is written as one byte
 * {@code 0} when absent, or one byte {@code 1}, its UTF-8 length as four bytes big-endian and its
 * UTF-8 bytes, so no two different entries encode alike. The first entry's prev_hash is 64 zeros.
 *
 * <p>Canonical JSON: no whitespace, object keys sorted by UTF-16 code units, integers in plain
 * decimal, other numbers as Java writes a {@code double}, strings escaped as Jackson does. It is
 * idempotent: reading canonical JSON back and writing it canonically gives the same text.
 */
public final class AuditChain {
  /** The prev_hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private static final byte[] VERSION = "maestro-audit-v1".getBytes(StandardCharsets.UTF_8);
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();

  private AuditChain() {}

  /**
   * The entry that appends the record after the entry with {@code prevHash}: its time cut to the
   * microsecond, its details made canonical, its hash computed.
   */
  public static AuditEntry next(String workspaceId, long seq, Instant at, AuditRecord record, String prevHash) {
    Instant time = at.truncatedTo(ChronoUnit.MICROS);
    String canonical = record.details() == null ? null : canonicalJson(record.details());
    String hash = hash(workspaceId, seq, time, record.actor(), record.action(), record.target(), record.decision(), record.policy(), canonical, prevHash);
    return new AuditEntry(workspaceId, seq, time, record.actor(), record.action(), record.target(), record.decision(), record.policy(),
        canonical == null ? null : Json.tree(canonical), prevHash, hash);
  }

  /** The hash the entry should carry, computed from its other fields. */
  public static String hash(AuditEntry e) {
    return hash(e.workspaceId(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.decision(), e.policy(),
        e.details() == null ? null : canonicalJson(e.details()), e.prevHash());
  }

  private static String hash(String workspaceId, long seq, Instant at, String actor, String action, String target, String decision,
      String policy, String canonicalDetails, String prevHash) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    sha.update(VERSION);
    field(sha, workspaceId);
    field(sha, Long.toString(seq));
    field(sha, at == null ? null : AT.format(at));
    field(sha, actor);
    field(sha, action);
    field(sha, target);
    field(sha, decision);
    field(sha, policy);
    field(sha, canonicalDetails);
    field(sha, prevHash);
    return HEX.formatHex(sha.digest());
  }

  private static void field(MessageDigest sha, String value) {
    if (value == null) {
      sha.update((byte) 0);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) 1);
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  /** The JSON in canonical form (see the class comment). */
  public static String canonicalJson(JsonNode node) {
    var out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        var names = new ArrayList<String>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(null);
        g.writeStartObject();
        for (String name : names) {
          g.writeFieldName(name);
          write(g, node.get(name));
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode item : node) {
          write(g, item);
        }
        g.writeEndArray();
      }
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          g.writeNumber(node.bigIntegerValue());
        } else {
          g.writeNumber(node.doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL, MISSING -> g.writeNull();
      case STRING, BINARY -> g.writeString(node.asText());
      case POJO -> write(g, Json.MAPPER.valueToTree(((com.fasterxml.jackson.databind.node.POJONode) node).getPojo()));
    }
  }

  /**
   * Checks a chain one entry at a time, in seq order, keeping only what the next entry needs: give
   * it every entry with {@link #accept} until that returns false, then call {@link #end()} and read {@link #result()}.
   */
  public static final class Verifier {
    private long expectedSeq = 1;
    private String prevHash = GENESIS;
    private long checked;
    private final List<Anchor> anchors = new ArrayList<>();
    private Verification result;

    /** Checks the next entry; false once a problem is found (reading further is pointless). */
    public boolean accept(AuditEntry e) {
      if (result != null) {
        return false;
      }
      checked++;
      if (e.seq() != expectedSeq) {
        if (e.seq() < expectedSeq) {
          return fail(e.seq(), "entry " + e.seq() + " appears again after entry " + (expectedSeq - 1) + "; the log is not in seq order");
        }
        String missing = e.seq() == expectedSeq + 1 ? "entry " + expectedSeq + " is missing" : "entries " + expectedSeq + " to " + (e.seq() - 1) + " are missing";
        return fail(expectedSeq, missing + ": " + (expectedSeq == 1 ? "the log starts at seq " + e.seq() : "seq jumps from " + (expectedSeq - 1) + " to " + e.seq())
            + (e.seq() == expectedSeq + 1 ? "; it was deleted" : "; they were deleted"));
      }
      if (!Objects.equals(AuditChain.hash(e), e.hash())) {
        return fail(e.seq(), "entry " + e.seq() + " (" + e.action() + " by " + e.actor() + " at " + e.at()
            + ") was changed after it was written: its contents no longer match its hash");
      }
      if (!prevHash.equals(e.prevHash())) {
        return fail(e.seq(), expectedSeq == 1
            ? "entry 1 does not start the chain: its prev_hash is " + e.prevHash() + ", not 64 zeros"
            : "entry " + e.seq() + " does not follow entry " + (e.seq() - 1) + ": its prev_hash is not entry " + (e.seq() - 1)
                + "'s hash, so one of the two was rewritten along with its hash");
      }
      for (Anchor a : anchors) {
        if (a.seq() == e.seq() && !e.hash().equals(a.hash())) {
          return fail(e.seq(), "entry " + e.seq() + " is not the entry recorded earlier with this seq: its hash differs, so it and the entries"
              + " before it were rewritten");
        }
      }
      prevHash = e.hash();
      expectedSeq++;
      return true;
    }

    /**
     * Also checks that the entry with this seq still has this hash, and that the chain reaches it: an
     * anchor recorded earlier ({@link AuditLog#head()}), which is what shows the newest entries were
     * not deleted. Call before the first {@link #accept}, as often as there are anchors; a seq of 0 or
     * less checks nothing.
     */
    public Verifier anchor(long seq, String hash) {
      if (seq > 0) {
        anchors.add(new Anchor(seq, hash));
      }
      return this;
    }

    private record Anchor(long seq, String hash) {}

    /** Call after the last entry: checks that the chain reached the anchor. */
    public Verifier end() {
      long last = expectedSeq - 1;
      long anchorSeq = anchors.stream().mapToLong(Anchor::seq).max().orElse(0);
      if (result == null && anchorSeq > last) {
        String gone = last + 1 == anchorSeq ? "entry " + anchorSeq + " is" : "entries " + (last + 1) + " to " + anchorSeq + " are";
        fail(last + 1, gone + " missing: the chain was recorded reaching seq " + anchorSeq + " but now ends at seq " + last
            + "; the newest entries were deleted");
      }
      return this;
    }

    /** Intact, or the first problem found. */
    public Verification result() {
      return result != null ? result : Verification.ok(checked);
    }

    private boolean fail(long seq, String problem) {
      result = Verification.broken(checked, seq, problem);
      return false;
    }
  }

  /** Reads a whole chain through a verifier; for stores that hold it in memory. */
  static Verification verify(List<AuditEntry> entries, long anchorSeq, String anchorHash) {
    var verifier = new Verifier().anchor(anchorSeq, anchorHash);
    for (AuditEntry e : entries) {
      if (!verifier.accept(e)) {
        break;
      }
    }
    return verifier.end().result();
  }
}
