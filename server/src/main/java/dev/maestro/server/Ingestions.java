package dev.maestro.server;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingestions that run in the background, so that a large directory (minutes with an in-process
 * embedding model) does not hold an HTTP request open: the API starts one when asked with {@code
 * Prefer: respond-async}, the console always does, and both follow it by polling. Kept in memory
 * (the newest {@link #KEPT}): an ingestion cut short by a restart commits nothing, and running it
 * again re-embeds only what is not in the collection yet.
 */
final class Ingestions {
  private static final Logger LOG = LoggerFactory.getLogger(Ingestions.class);
  static final int KEPT = 100;

  private final Clock clock;
  /** Oldest first; guarded by itself. */
  private final Map<String, Ingestion> jobs = new LinkedHashMap<>();
  // Not closed with the server: interrupting a Lucene write can break the index, and an unfinished ingestion commits nothing.
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  Ingestions(Clock clock) {
    this.clock = clock;
  }

  /**
   * An ingestion as the API shows it.
   *
   * @param status {@code running}, {@code completed} or {@code failed}
   * @param documents documents to look at; null until the sources have been listed
   * @param done documents handled so far
   * @param current the document handled last
   * @param report what the ingestion did, once completed
   * @param error why it failed: the problem document a synchronous request would have answered
   */
  record View(String id, String collection, List<String> sources, String status, Integer documents, int done, String current,
      Instant startedAt, Instant endedAt, IngestReport report, Problem error) {}

  record Problem(int status, String title, String detail) {}

  /** One ingestion; its progress is written by the ingesting thread and read by requests. */
  static final class Ingestion implements IngestProgress {
    final String id;
    final String workspaceId;
    final String collection;
    final List<String> sources;
    final Instant startedAt;
    private volatile String status = "running";
    private volatile int documents = -1;
    private volatile int done;
    private volatile String current;
    private volatile Instant endedAt;
    private volatile IngestReport report;
    private volatile Problem error;
    private final CountDownLatch finished = new CountDownLatch(1);

    Ingestion(String id, String workspaceId, String collection, List<String> sources, Instant startedAt) {
      this.id = id;
      this.workspaceId = workspaceId;
      this.collection = collection;
      this.sources = List.copyOf(sources);
      this.startedAt = startedAt;
    }

    @Override
    public void started(int count) {
      documents = count;
    }

    @Override
    public void advanced(String document) {
      current = document;
      done++; // only the ingesting thread writes it
    }

    boolean running() {
      return "running".equals(status);
    }

    /** The status is written last, so a reader that sees it finished sees the rest. */
    void finish(IngestReport report, Problem error, Instant at) {
      this.report = report;
      this.error = error;
      this.endedAt = at;
      this.status = error == null ? "completed" : "failed";
      finished.countDown();
    }

    /** Waits up to {@code timeout} for the ingestion to end (a small one ends before it is worth following); whether it has. */
    boolean await(Duration timeout) {
      try {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    View view() {
      return new View(id, collection, sources, status, documents < 0 ? null : documents, done, current, startedAt, endedAt, report, error);
    }
  }

  /** Starts ingesting in the background and returns at once. */
  Ingestion start(String workspaceId, KnowledgeBase knowledge, String collection, List<String> sources) {
    var job = new Ingestion("ing_" + UUID.randomUUID().toString().replace("-", ""), workspaceId, collection, sources, clock.instant());
    synchronized (jobs) {
      jobs.put(job.id, job);
      // The oldest finished ones go first; running ones stay whatever their number.
      List<String> finished = jobs.values().stream().filter(j -> !j.running()).map(j -> j.id).toList();
      for (int i = 0; i < finished.size() && jobs.size() > KEPT; i++) {
        jobs.remove(finished.get(i));
      }
    }
    executor.execute(() -> {
      IngestReport report = null;
      Problem error = null;
      try {
        report = knowledge.ingest(collection, sources, job);
      } catch (MaestroException e) {
        int status = Problems.status(e);
        error = new Problem(status, Problems.title(status), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("ingestion {} into '{}' failed", job.id, collection, e);
        error = new Problem(500, Problems.title(500), "the ingestion failed (" + e.getClass().getSimpleName()
            + "); this is a bug in Maestro: the server log has the details");
      }
      job.finish(report, error, clock.instant());
    });
    return job;
  }

  /** An ingestion of this workspace. */
  Optional<Ingestion> find(String workspaceId, String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id)).filter(j -> j.workspaceId.equals(workspaceId));
    }
  }

  /** This workspace's ingestions, newest first. */
  List<Ingestion> list(String workspaceId) {
    synchronized (jobs) {
      var list = new ArrayList<Ingestion>();
      jobs.values().forEach(j -> {
        if (j.workspaceId.equals(workspaceId)) {
          list.addFirst(j);
        }
      });
      return list;
    }
  }
}
