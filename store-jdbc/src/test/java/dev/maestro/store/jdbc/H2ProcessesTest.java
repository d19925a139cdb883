package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file shared by processes: another process ({@link AppendingProcess}) writes while this one
 * reads, and what it was told was committed survives it being killed with SIGKILL. (Without the
 * CHECKPOINT that follows each commit, H2 keeps up to 500 ms of commits in memory and this test
 * loses tens to hundreds of acknowledged events.) The writer mixes deferred and immediate appends;
 * H2 writes both through.
 */
class H2ProcessesTest {
  @TempDir Path dataDir;
  @TempDir Path logDir;
  private Process writer;

  @AfterEach
  void stopWriter() throws InterruptedException {
    if (writer != null && writer.isAlive()) {
      writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void keeps_every_acknowledged_append_when_the_writing_process_is_killed() throws Exception {
    writer = startWriter();
    long acknowledged = 0;
    try (var out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        acknowledged = Long.parseLong(line.substring("committed ".length()));
        if (acknowledged >= 301 && writer.isAlive()) {
          // SIGKILL: no shutdown hook, no close. Through the handle, which (unlike Process) leaves
          // the pipe open for the lines still in it.
          writer.toHandle().destroyForcibly();
        }
        // Lines already in the pipe were printed after their commit too; read them all.
      }
    }
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).as("appends the writer reported; its log: %s", writerLog()).isGreaterThanOrEqualTo(301);

    try (var stores = JdbcStores.openH2(dataDir)) {
      RunStore runs = stores.runs("default");
      List<RecordedEvent> events = runs.events(AppendingProcess.RUN, 0);
      assertThat(events.size()).as("events after the kill").isGreaterThanOrEqualTo((int) acknowledged);
      assertThat(events).extracting(RecordedEvent::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      assertThat(runs.find(AppendingProcess.RUN)).contains(Run.fold(events));
    }
  }

  @Test
  void reads_the_store_while_another_process_writes_to_it() throws Exception {
    writer = startWriter();
    try (var out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && Long.parseLong(line.substring("committed ".length())) < 21; line = out.readLine()) {
        // wait until the writer is well under way
      }
      assertThat(writer.isAlive()).as("writer running; its log: %s", writerLog()).isTrue();

      try (var stores = JdbcStores.openH2(dataDir)) {
        RunStore runs = stores.runs("default");
        long seen = runs.find(AppendingProcess.RUN).orElseThrow().lastSeq();
        assertThat(seen).isGreaterThanOrEqualTo(21);
        assertThat(runs.events(AppendingProcess.RUN, 0)).hasSizeGreaterThanOrEqualTo((int) seen);
        assertThat(stores.describe()).isEqualTo("H2 file " + dataDir.toAbsolutePath().resolve("maestro.mv.db"));
      }
    }
  }

  /** Starts {@link AppendingProcess} in a new JVM, with this JVM's java and the test class path. */
  private Process startWriter() throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", classPath, AppendingProcess.class.getName(), dataDir.toString())
        .redirectError(logDir.resolve("writer.log").toFile())
        .start();
  }

  private String writerLog() throws IOException {
    Path log = logDir.resolve("writer.log");
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }
}
