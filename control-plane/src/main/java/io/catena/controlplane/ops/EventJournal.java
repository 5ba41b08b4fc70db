package io.catena.controlplane.ops;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events in order, numbered from 1: the last {@code capacity} are kept so that a new watcher can
 * replay them; watchers then get each new event as it is published. Publishing and subscribing hold
 * one lock, so a watcher sees the replay and the live events without a gap or a duplicate.
 */
public final class EventJournal {

  private static final Logger log = LoggerFactory.getLogger(EventJournal.class);

  private final int capacity;
  private final Clock clock;
  private final Deque<OpsEvent> recent = new ArrayDeque<>();
  private final List<Consumer<OpsEvent>> watchers = new CopyOnWriteArrayList<>();
  private long sequence;

  public EventJournal(int capacity, Clock clock) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("event journal capacity must be positive");
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  public synchronized OpsEvent publish(
      OpsEvent.Kind kind,
      OpsEvent.Severity severity,
      String message,
      OperationView operation,
      AuditEntry audit) {
    OpsEvent event =
        new OpsEvent(++sequence, clock.millis(), kind, severity, message, operation, audit);
    recent.addLast(event);
    if (recent.size() > capacity) {
      recent.removeFirst();
    }
    for (Consumer<OpsEvent> watcher : watchers) {
      try {
        watcher.accept(event);
      } catch (RuntimeException e) {
        log.warn("an event watcher failed; it is dropped", e);
        watchers.remove(watcher);
      }
    }
    return event;
  }

  /**
   * Sends the last {@code replay} events to {@code watcher}, then every new one until the returned
   * handle is closed.
   */
  public synchronized AutoCloseable watch(int replay, Consumer<OpsEvent> watcher) {
    List<OpsEvent> backlog = new ArrayList<>(recent);
    int from = Math.max(0, backlog.size() - Math.max(0, replay));
    for (OpsEvent e : backlog.subList(from, backlog.size())) {
      watcher.accept(e);
    }
    watchers.add(watcher);
    return () -> watchers.remove(watcher);
  }

  public synchronized List<OpsEvent> recent(int limit) {
    List<OpsEvent> all = new ArrayList<>(recent);
    return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
  }
}
