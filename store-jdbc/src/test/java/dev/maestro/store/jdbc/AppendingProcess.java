package dev.maestro.store.jdbc;

import dev.maestro.engine.run.Durability;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The other process in {@link H2ProcessesTest}: opens the H2 store in a data directory and appends
 * to one run until it is killed, printing {@code committed <seq>} after each immediate append
 * returns. Each immediate append follows a deferred one, which must be durable too.
 */
final class AppendingProcess {
  static final String RUN = "run-1";

  private AppendingProcess() {}

  public static void main(String[] args) {
    try (var stores = JdbcStores.openH2(Path.of(args[0]))) {
      RunStore runs = stores.runs("default");
      long last = runs.append(RUN, 0, Instant.now(), List.of(Fixtures.created())).size();
      for (int step = 1; ; step++) {
        System.out.println("committed " + last);
        System.out.flush();
        last += runs.append(RUN, last, Instant.now(), List.of(new Thought(step, "deferred " + step)), Durability.DEFERRED).size();
        last += runs.append(RUN, last, Instant.now(), List.of(new Thought(step, "thought " + step), new Thought(step, "and another"))).size();
      }
    }
  }
}
