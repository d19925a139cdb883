package dev.maestro.packs.spark.internal;

import dev.maestro.packs.spark.internal.Report.Estimate;
import dev.maestro.packs.spark.internal.Report.Simulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sparklens-style what-if: the application's time is driver time (outside any job) plus the time
 * of each job; a job's time with {@code n} executors is found by replaying its successful tasks, in
 * the order they ended, over {@code n × cores} slots, a stage starting only when its parent stages have
 * finished. The critical path of a job is its longest chain of stages, each as long as its longest
 * task: the job's time with unlimited executors.
 */
final class Simulator {
  static final double[] FACTORS = {0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4};

  private Simulator() {}

  static Simulation simulate(AppData app, Resources resources) {
    List<Integer> counts = new ArrayList<>();
    for (double f : FACTORS) {
      counts.add(Math.max(1, (int) Math.round(resources.observedExecutors() * f)));
    }
    return simulate(app, resources, counts);
  }

  /** The simulation with estimates for the given executor counts. */
  static Simulation simulate(AppData app, Resources resources, List<Integer> counts) {
    long wall = Math.max(0, app.effectiveEnd() - app.effectiveStart());
    long executorTime = unionOfJobTimes(app);
    long driverTime = Math.max(0, wall - executorTime);
    int executors = resources.observedExecutors();
    int cores = resources.coresPerExecutor();
    long taskTime = 0;
    for (StageData s : app.stages.values()) {
      taskTime += s.durations.sum();
    }
    List<List<StageData>> jobs = jobStages(app);
    long critical = 0;
    for (List<StageData> job : jobs) {
      critical += criticalPath(job);
    }
    long simulatedObserved = simulateAll(jobs, executors * cores);
    // Calibrate so that the observed executor count reproduces the observed time: the replay
    // ignores scheduling delays and task launch overheads, which scale with it.
    double calibration = simulatedObserved > 0 && executorTime > 0 ? (double) executorTime / simulatedObserved : 1.0;
    calibration = Math.max(0.5, Math.min(2.0, calibration));
    List<Estimate> estimates = new ArrayList<>();
    Map<Integer, Long> byCount = new HashMap<>();
    for (int n : counts) {
      double f = round((double) n / executors);
      if (n < 1 || byCount.containsKey(n)) {
        continue;
      }
      long sim = n == executors ? simulatedObserved : simulateAll(jobs, n * cores);
      long est = driverTime + Math.round(sim * calibration);
      byCount.put(n, est);
      double util = est - driverTime > 0 ? (double) taskTime / ((double) n * cores * (est - driverTime)) : 0;
      estimates.add(new Estimate(f, n, est, round(Math.min(1.0, util))));
    }
    // the fewest executors within 10% of the fastest estimate
    long best = estimates.stream().mapToLong(Estimate::estimatedTime).min().orElse(wall);
    Estimate pick = estimates.stream().filter(e -> e.estimatedTime() <= best * 1.1).min((a, b) -> Integer.compare(a.executors(), b.executors()))
        .orElse(estimates.getFirst());
    return new Simulation(wall, driverTime, executorTime, critical, driverTime + critical, executors, cores, taskTime, estimates,
        pick.executors(), pick.utilization(),
        "replay of successful tasks over executors x cores slots per job, stages after their parents, jobs one after another; "
            + "calibrated by " + round(calibration) + " so the observed executor count gives the observed time");
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Time covered by at least one job. */
  static long unionOfJobTimes(AppData app) {
    List<long[]> spans = new ArrayList<>();
    for (JobData j : app.jobs.values()) {
      long end = j.completionTime > 0 ? j.completionTime : app.effectiveEnd();
      if (j.submissionTime > 0 && end > j.submissionTime) {
        spans.add(new long[] {j.submissionTime, end});
      }
    }
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long curStart = -1;
    long curEnd = -1;
    for (long[] s : spans) {
      if (s[0] > curEnd) {
        total += curEnd - curStart;
        curStart = s[0];
        curEnd = s[1];
      } else {
        curEnd = Math.max(curEnd, s[1]);
      }
    }
    total += curEnd - curStart;
    return total;
  }

  /** For each job, the stage attempts that ran tasks for it, in stage id order. */
  private static List<List<StageData>> jobStages(AppData app) {
    List<List<StageData>> jobs = new ArrayList<>();
    java.util.Set<Long> assigned = new java.util.HashSet<>();
    for (JobData j : app.jobs.values()) {
      List<StageData> stages = new ArrayList<>();
      for (StageData s : app.stages.values()) {
        long key = AppData.stageKey(s.stageId, s.attemptId);
        if (s.durations.size() > 0 && s.jobIds.contains(j.jobId) && assigned.add(key)) {
          stages.add(s);
        }
      }
      if (!stages.isEmpty()) {
        jobs.add(stages);
      }
    }
    List<StageData> orphans = new ArrayList<>();
    for (StageData s : app.stages.values()) {
      if (s.durations.size() > 0 && !assigned.contains(AppData.stageKey(s.stageId, s.attemptId))) {
        orphans.add(s);
      }
    }
    if (!orphans.isEmpty()) {
      jobs.add(orphans);
    }
    return jobs;
  }

  private static long criticalPath(List<StageData> stages) {
    Map<Integer, Long> finish = new HashMap<>();
    long longest = 0;
    for (StageData s : stages) {
      long start = 0;
      for (int parent : s.parentIds) {
        start = Math.max(start, finish.getOrDefault(parent, 0L));
      }
      long end = start + s.durations.max();
      finish.merge(s.stageId, end, Math::max);
      longest = Math.max(longest, end);
    }
    return longest;
  }

  private static long simulateAll(List<List<StageData>> jobs, int slots) {
    long total = 0;
    for (List<StageData> job : jobs) {
      total += simulateJob(job, Math.max(1, slots));
    }
    return total;
  }

  /** List scheduling of a job's tasks over slots; returns the job's simulated time. */
  static long simulateJob(List<StageData> stages, int slots) {
    // when each slot in use is next free, in a min-heap of primitives (a PriorityQueue<long[]> took
    // 6% of a whole analysis); slots are created as needed, up to the count given
    MinHeap free = new MinHeap(Math.min(slots, 1 << 16));
    Map<Integer, Long> finish = new HashMap<>();
    long end = 0;
    for (StageData s : stages) {
      long ready = 0;
      for (int parent : s.parentIds) {
        ready = Math.max(ready, finish.getOrDefault(parent, 0L));
      }
      long stageEnd = ready;
      LongList durations = s.durations;
      for (int i = 0, n = durations.size(); i < n; i++) {
        long d = durations.get(i);
        long slotEnd;
        if (free.size < slots && (free.size == 0 || free.min() > ready)) {
          slotEnd = ready + d;
          free.add(slotEnd);
        } else {
          // slots free before this stage is ready are used from when it is ready
          slotEnd = Math.max(free.min(), ready) + d;
          free.replaceMin(slotEnd);
        }
        stageEnd = Math.max(stageEnd, slotEnd);
      }
      finish.merge(s.stageId, stageEnd, Math::max);
      end = Math.max(end, stageEnd);
    }
    return end;
  }

  /** A binary min-heap of longs. */
  private static final class MinHeap {
    private long[] heap;
    int size;

    MinHeap(int capacity) {
      heap = new long[Math.max(16, capacity)];
    }

    long min() {
      return heap[0];
    }

    void add(long v) {
      if (size == heap.length) {
        heap = java.util.Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= v) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = v;
    }

    /** Replaces the smallest value with {@code v}. */
    void replaceMin(long v) {
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (v <= heap[child]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = v;
    }
  }

  /** Executors and their cores, as observed. */
  record Resources(int observedExecutors, int coresPerExecutor, boolean local) {
    static Resources of(AppData app) {
      // the most executors alive at once (not counting the driver)
      List<long[]> events = new ArrayList<>();
      List<Integer> cores = new ArrayList<>();
      for (ExecutorData e : app.executors.values()) {
        if (e.isDriver()) {
          continue;
        }
        events.add(new long[] {e.addTime, 1});
        if (e.removeTime > 0) {
          events.add(new long[] {e.removeTime, -1});
        }
        if (e.totalCores > 0) {
          cores.add(e.totalCores);
        }
      }
      if (events.isEmpty()) {
        ExecutorData driver = app.executors.get("driver");
        int c = driver != null && driver.totalCores > 0 ? driver.totalCores : 1;
        return new Resources(1, c, true);
      }
      events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      int live = 0;
      int max = 0;
      for (long[] ev : events) {
        live += (int) ev[1];
        max = Math.max(max, live);
      }
      int[] coreCounts = cores.stream().mapToInt(Integer::intValue).sorted().toArray();
      int typical = coreCounts.length == 0 ? 1 : coreCounts[coreCounts.length / 2];
      return new Resources(Math.max(1, max), Math.max(1, typical), false);
    }
  }

}
