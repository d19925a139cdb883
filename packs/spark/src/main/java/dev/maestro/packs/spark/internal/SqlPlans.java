package dev.maestro.packs.spark.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reads the joins and scans of a SQL execution's physical plan (its sparkPlanInfo tree). */
final class SqlPlans {
  private SqlPlans() {}

  /** Replaces what {@code q} knows of its plan: with adaptive execution the last plan is the one that ran. */
  static void read(JsonNode plan, SqlData q, AppData app) {
    if (plan.isMissingNode() || plan.isNull()) {
      return;
    }
    q.joins.clear();
    q.scans.clear();
    q.sortMergeJoinSides.clear();
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(plan);
    int visited = 0;
    while (!todo.isEmpty() && visited++ < 100_000) {
      JsonNode node = todo.pop();
      String name = node.path("nodeName").asText("");
      if (isJoin(name)) {
        q.joins.merge(joinName(name), 1, Integer::sum);
        if (name.startsWith("SortMergeJoin") && node.path("children").size() == 2) {
          long left = exchangeDataSize(node.path("children").get(0));
          long right = exchangeDataSize(node.path("children").get(1));
          if (left >= 0 && right >= 0) {
            q.sortMergeJoinSides.add(new long[] {left, right});
            app.watchedAccumulators.add(left);
            app.watchedAccumulators.add(right);
          }
        }
      } else if (name.startsWith("Scan ") || name.startsWith("BatchScan") || name.startsWith("FileScan")) {
        if (q.scans.size() < 50) {
          q.scans.add(name);
        }
      }
      for (JsonNode child : node.path("children")) {
        todo.push(child);
      }
    }
  }

  private static boolean isJoin(String name) {
    return name.contains("Join") || name.startsWith("CartesianProduct");
  }

  private static String joinName(String name) {
    int paren = name.indexOf('(');
    return (paren < 0 ? name : name.substring(0, paren)).strip();
  }

  /** The accumulator id of the "data size" metric of the first exchange under a join side, or -1. */
  private static long exchangeDataSize(JsonNode side) {
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(side);
    while (!todo.isEmpty()) {
      JsonNode node = todo.pop();
      String name = node.path("nodeName").asText("");
      if (name.contains("Exchange") && !name.contains("Broadcast")) {
        for (JsonNode metric : node.path("metrics")) {
          if ("data size".equals(metric.path("name").asText())) {
            return metric.path("accumulatorId").asLong(-1);
          }
        }
      }
      if (isJoin(name)) {
        return -1; // the side is itself a join: its size is not one exchange's
      }
      for (JsonNode child : node.path("children")) {
        todo.push(child);
      }
    }
    return -1;
  }
}
