package dev.maestro.server;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fans the events the engine appends out to live subscribers: of one run, or of the whole
 * workspace. Each subscriber has its own bounded queue, so a slow client never holds up a run; one
 * that falls too far behind is dropped and reconnects from where it was (the log has everything).
 * Events of the whole workspace are numbered here, in the order they are heard, and the most
 * recent are kept so a reconnecting client can continue after the last number it saw.
 */
public final class EventHub implements RunListener {
  /** A workspace event with its number in this hub. */
  public record Numbered(long id, Shared shared) {
    public RecordedEvent event() {
      return shared.event();
    }
  }

  /**
   * An event as every subscriber sends it: encoded once, on first use, however many clients it
   * goes to (a thousand subscribers would otherwise each write the same JSON).
   */
  public static final class Shared {
    private final RecordedEvent event;
    private volatile String json;
    private volatile byte[] runFrame;

    Shared(RecordedEvent event) {
      this.event = event;
    }

    public RecordedEvent event() {
      return event;
    }

    /** The event as compact JSON. */
    public String json() {
      String j = json;
      if (j == null) {
        j = dev.maestro.engine.internal.Json.write(event);
        json = j;
      }
      return j;
    }

    /** The server-sent event of a run's stream, whose id is the event's sequence number. */
    byte[] runFrame() {
      byte[] f = runFrame;
      if (f == null) {
        f = EventStream.frame(Long.toString(event.seq()), event.event().type(), json());
        runFrame = f;
      }
      return f;
    }
  }

  static final int QUEUE_CAPACITY = 10_000;
  private final Map<String, Set<Subscription<Shared>>> byRun = new ConcurrentHashMap<>();
  private final Set<Subscription<Numbered>> all = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Numbered> recent = new ArrayDeque<>();
  private final int keepRecent;
  private long counter;
  private final List<RunListener> also = new java.util.concurrent.CopyOnWriteArrayList<>();

  public EventHub() {
    this(QUEUE_CAPACITY);
  }

  EventHub(int keepRecent) {
    this.keepRecent = keepRecent;
  }

  /** Another listener told of every batch through this hub (metrics). */
  void also(RunListener listener) {
    also.add(listener);
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    also.forEach(l -> l.onEvents(events));
    var shared = new ArrayList<Shared>(events.size());
    events.forEach(e -> shared.add(new Shared(e)));
    Set<Subscription<Shared>> runSubscribers = byRun.get(events.getFirst().runId());
    if (runSubscribers != null) {
      for (Subscription<Shared> s : runSubscribers) {
        shared.forEach(s::offer);
      }
    }
    var numbered = new ArrayList<Numbered>(events.size());
    synchronized (recent) {
      for (Shared e : shared) {
        Numbered n = new Numbered(++counter, e);
        numbered.add(n);
        recent.addLast(n);
        if (recent.size() > keepRecent) {
          recent.removeFirst();
        }
      }
      // Inside the lock, so every subscriber sees workspace events in number order.
      for (Subscription<Numbered> s : all) {
        numbered.forEach(s::offer);
      }
    }
  }

  /** Live events of one run from now on; close it when done. */
  public Subscription<Shared> subscribe(String runId) {
    var subscription = new Subscription<Shared>(() -> {});
    Set<Subscription<Shared>> set = byRun.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet());
    set.add(subscription);
    subscription.onClose = () -> {
      set.remove(subscription);
      byRun.computeIfPresent(runId, (id, s) -> s.isEmpty() ? null : s);
    };
    return subscription;
  }

  /**
   * Live events of the whole workspace, beginning after {@code afterId} when the hub still holds
   * the events after it (then {@link Subscription#continued()} is true), otherwise from now.
   */
  public Subscription<Numbered> subscribeAll(long afterId) {
    var subscription = new Subscription<Numbered>(() -> {});
    subscription.onClose = () -> all.remove(subscription);
    synchronized (recent) {
      boolean held = afterId > 0 && !recent.isEmpty() && recent.peekFirst().id() <= afterId + 1 && afterId <= counter;
      if (held) {
        for (Numbered n : recent) {
          if (n.id() > afterId) {
            subscription.offer(n);
          }
        }
      }
      subscription.continued = held || afterId == 0 || afterId == counter;
      all.add(subscription);
    }
    return subscription;
  }

  /** How many subscribers are connected, for metrics. */
  public int subscribers() {
    return all.size() + byRun.values().stream().mapToInt(Set::size).sum();
  }

  /** One subscriber's queue of events. */
  public static final class Subscription<T> implements AutoCloseable {
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean overflowed;
    private volatile Runnable onClose;
    private volatile boolean continued = true;

    private Subscription(Runnable onClose) {
      this.onClose = onClose;
    }

    private void offer(T item) {
      if (!overflowed && !queue.offer(item)) {
        overflowed = true; // the reader sees this once it has drained what it has
      }
    }

    /** The next event, or null if none came within the wait. */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
      return queue.poll(timeout, unit);
    }

    /** Whether events were dropped because this subscriber fell behind; it should reconnect. */
    public boolean overflowed() {
      return overflowed && queue.isEmpty();
    }

    /** For a workspace subscription: whether it continues exactly after the id asked for. */
    public boolean continued() {
      return continued;
    }

    @Override
    public void close() {
      onClose.run();
    }
  }
}
