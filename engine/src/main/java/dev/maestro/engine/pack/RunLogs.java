package dev.maestro.engine.pack;

import dev.maestro.engine.run.RunStore;
import java.util.function.Function;

/** Read access to the installation's run logs for a pack: the store is opened for the reader and closed after it. */
@FunctionalInterface
public interface RunLogs {

  /** Run logs are not available here (a pack used outside an installation). */
  RunLogs NONE = new RunLogs() {
    @Override
    public <T> T read(Function<RunStore, T> reader) {
      throw new dev.maestro.engine.MaestroException("Maestro's run logs are not available here; run this inside a Maestro installation");
    }
  };

  <T> T read(Function<RunStore, T> reader);
}
