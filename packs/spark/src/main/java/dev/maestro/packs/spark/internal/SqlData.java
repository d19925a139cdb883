package dev.maestro.packs.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One SQL execution: its description, time and the joins and scans of its (last) physical plan. */
final class SqlData {
  final long executionId;
  String description = "";
  long startTime;
  long endTime;
  String errorMessage;
  TreeMap<String, Integer> joins = new TreeMap<>();
  List<String> scans = new ArrayList<>();
  /** Sort-merge joins: for each, the accumulator ids of the "data size" metric of each side's exchange. */
  List<long[]> sortMergeJoinSides = new ArrayList<>();
  List<Integer> jobIds = new ArrayList<>();

  SqlData(long executionId) {
    this.executionId = executionId;
  }
}
