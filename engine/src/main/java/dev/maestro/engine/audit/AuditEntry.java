package dev.maestro.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of a workspace's audit trail, as stored: the record, its place in the chain and the
 * hashes that link it to the entry before (see {@link AuditChain} for how the hash is made).
 *
 * @param seq 1, 2, 3, ... without gaps within the workspace
 * @param at when it was appended, to the microsecond
 * @param details in canonical form: object keys sorted, numbers normalised (see {@link AuditChain#canonicalJson})
 * @param prevHash the previous entry's hash; 64 zeros for the first
 * @param hash SHA-256 in hexadecimal over this entry's fields and {@code prevHash}
 */
public record AuditEntry(String workspaceId, long seq, Instant at, String actor, String action, String target,
    String decision, String policy, JsonNode details, String prevHash, String hash) {}
