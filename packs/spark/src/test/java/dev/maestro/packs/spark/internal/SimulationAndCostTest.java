package dev.maestro.packs.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.packs.spark.SparkSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation and the cost of logs/small, computed by hand: stage 0's successful tasks took
 * 2000, 3000, 1000 and 2000 ms (in the order they ended), stage 1's (after stage 0) 1000 and 1500
 * ms; two executors of two cores; the job ran from 1,001,000 to 1,006,600, the application from
 * 1,000,000 to 1,010,000.
 */
class SimulationAndCostTest {
  @TempDir
  Path dir;

  AppData small() throws IOException {
    Path file = dir.resolve("app-1");
    try (InputStream in = getClass().getResourceAsStream("/logs/small")) {
      Files.write(file, in.readAllBytes());
    }
    return EventParser.parse(LogDiscovery.find(List.of(file), new ArrayList<>()).getFirst(), n -> {});
  }

  @Test
  void replays_tasks_over_slots_respecting_stage_order() throws IOException {
    AppData app = small();
    Simulator.Resources res = Simulator.Resources.of(app);
    assertThat(res.observedExecutors()).isEqualTo(2);
    assertThat(res.coresPerExecutor()).isEqualTo(2);
    Report.Simulation sim = Simulator.simulate(app, res, List.of(1, 2));
    assertThat(sim.wallClockTime()).isEqualTo(10_000);
    assertThat(sim.executorTime()).isEqualTo(5_600);
    assertThat(sim.driverTime()).isEqualTo(4_400);
    // longest task of stage 0 then of stage 1
    assertThat(sim.criticalPath()).isEqualTo(3_000 + 1_500);
    assertThat(sim.idealTime()).isEqualTo(4_400 + 4_500);
    assertThat(sim.taskTime()).isEqualTo(2000 + 3000 + 1000 + 2000 + 1000 + 1500);
    // 4 slots: stage 0 ends at 3000, stage 1 at 4500; the observed 5600 calibrates by 5600/4500.
    // 2 slots: stage 0: 2000|3000, then 1000 on the first slot (3000), then 2000 (5000); stage 1
    // from 5000: 1000 and 1500, ends at 6500; 4400 + 6500 x 5600/4500 = 12489.
    assertThat(sim.estimates()).extracting(Report.Estimate::executors, Report.Estimate::estimatedTime)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 12_489L), org.assertj.core.groups.Tuple.tuple(2, 10_000L));
    assertThat(sim.recommendedExecutors()).isEqualTo(2);
  }

  @Test
  void prices_the_core_and_memory_hours_the_executors_held() throws IOException {
    AppData app = small();
    SparkSettings settings = new SparkSettings("test", Map.of("test", new SparkSettings.InstanceType(2, 8, 36.0)), "EUR");
    Report.Cost cost = CostModel.cost(app, Simulator.Resources.of(app), settings);
    // executor 1 held 2 cores from 1,000,100 to the end (1,010,000), executor 2 until its removal (1,007,000)
    double coreHours = (9_900 * 2 + 6_900 * 2) / 3_600_000.0;
    assertThat(cost.coreHours()).isEqualTo(Math.round(coreHours * 1000) / 1000.0);
    // task time on live executors: 6900 + 5000 ms
    assertThat(cost.coreHoursUsed()).isEqualTo(Math.round(11_900 / 3_600_000.0 * 1000) / 1000.0);
    // 2g heap + 384m overhead (Spark's minimum) = 2.375 GB per executor
    assertThat(cost.memoryGbHours()).isEqualTo(Math.round((9_900 + 6_900) * 2.375 / 3_600_000.0 * 1000) / 1000.0);
    // the core share costs more than the memory share: 36/2 per core-hour
    assertThat(cost.estimatedCost()).isEqualTo(Math.round(coreHours * 18 * 1_000_000) / 1_000_000.0);
    assertThat(cost.currency()).isEqualTo("EUR");
  }
}
