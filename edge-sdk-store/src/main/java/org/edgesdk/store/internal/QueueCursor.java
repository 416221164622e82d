package org.edgesdk.store.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.edgesdk.api.store.Cursor;
import org.edgesdk.api.store.Message;
import org.h2.mvstore.MVMap;

/**
 * A named cursor. Its methods hop to the queue's I/O thread; its state lives there: the in-flight
 * set in memory (so a restart redelivers), the attempt counts and acknowledgements in the store.
 */
final class QueueCursor implements Cursor {
  private final MvQueue queue;
  private final String name;
  final boolean deadLetter;
  private MVMap<Long, Integer> attempts;
  /** Sequences this cursor acknowledged while another cursor still needs them. */
  private MVMap<Long, Boolean> acked;
  private final Set<Long> inFlight = new HashSet<>();
  /** Smooth weighted round-robin state per lane (nginx's algorithm). */
  private final Map<String, Integer> current = new HashMap<>();

  QueueCursor(MvQueue queue, String name, boolean deadLetter, MVMap<Long, Integer> attempts,
      MVMap<Long, Boolean> acked) {
    this.queue = queue;
    this.name = name;
    this.deadLetter = deadLetter;
    this.attempts = attempts;
    this.acked = acked;
  }

  /** Points this cursor at its maps in a rewritten store (I/O thread). */
  void rebind(MVMap<Long, Integer> attempts, MVMap<Long, Boolean> acked) {
    this.attempts = attempts;
    this.acked = acked;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Message> peek(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return queue.call(() -> peekOnIo(max));
  }

  @Override
  public void ack(Collection<Message> batch) {
    List<Long> seqs = batch.stream().map(Message::sequence).toList();
    queue.call(() -> {
      for (long seq : seqs) {
        ackOnIo(seq);
      }
      return null;
    });
  }

  @Override
  public void nack(Message message) {
    Objects.requireNonNull(message, "message");
    queue.call(() -> {
      nackOnIo(message.sequence());
      return null;
    });
  }

  /** Forgets a removed message. */
  void forget(long seq) {
    inFlight.remove(seq);
    if (!attempts.isEmpty()) {
      attempts.remove(seq);
    }
    if (!acked.isEmpty()) {
      acked.remove(seq);
    }
  }

  boolean hasAcked(long seq) {
    return !acked.isEmpty() && acked.containsKey(seq);
  }

  private List<Message> peekOnIo(int max) {
    String deadLane = queue.config().deadLetterLane();
    Map<String, Iterator<MvQueue.Entry>> active = new HashMap<>();
    for (Map.Entry<String, MvQueue.Lane> lane : queue.lanes().entrySet()) {
      boolean isDead = lane.getKey().equals(deadLane);
      if (isDead == deadLetter && !lane.getValue().isEmpty()) {
        active.put(lane.getKey(), lane.getValue().deliveryOrder());
      }
    }
    long now = queue.storeNanos();
    List<MvQueue.Entry> chosen = new ArrayList<>();
    List<Long> expiredNow = new ArrayList<>();
    while (chosen.size() < max && !active.isEmpty()) {
      String lane = pickLane(active.keySet());
      Iterator<MvQueue.Entry> it = active.get(lane);
      MvQueue.Entry next = null;
      while (it.hasNext()) {
        MvQueue.Entry e = it.next();
        if (inFlight.contains(e.sequence()) || hasAcked(e.sequence())) {
          continue;
        }
        if (queue.isExpired(e, now)) {
          expiredNow.add(e.sequence());
          continue;
        }
        next = e;
        break;
      }
      if (next == null) {
        active.remove(lane);
        current.remove(lane);
      } else {
        chosen.add(next);
      }
    }
    for (long seq : expiredNow) {
      queue.expire(seq);
    }
    List<Message> out = new ArrayList<>(chosen.size());
    for (MvQueue.Entry e : chosen) {
      StoredRecord r = queue.readRecord(e.sequence());
      if (r != null) {
        inFlight.add(e.sequence());
        Integer n = attempts.get(e.sequence());
        out.add(MvQueue.toMessage(r, n == null ? 0 : n));
      }
    }
    return out;
  }

  private String pickLane(Set<String> candidates) {
    int total = 0;
    String best = null;
    int bestValue = Integer.MIN_VALUE;
    for (String lane : candidates) {
      int weight = queue.config().lane(lane).weight();
      total += weight;
      int value = current.getOrDefault(lane, 0) + weight;
      current.put(lane, value);
      if (value > bestValue || (value == bestValue && lane.compareTo(best) < 0)) {
        bestValue = value;
        best = lane;
      }
    }
    current.put(best, bestValue - total);
    return best;
  }

  private void ackOnIo(long seq) {
    inFlight.remove(seq);
    MvQueue.Entry e = queue.entry(seq);
    if (e == null) {
      return;
    }
    boolean othersDone = true;
    for (QueueCursor c : queue.interested(e.lane())) {
      if (c != this && !c.hasAcked(seq)) {
        othersDone = false;
        break;
      }
    }
    if (othersDone) {
      queue.delete(seq);
    } else {
      acked.put(seq, Boolean.TRUE);
      attempts.remove(seq);
      queue.markDirty();
    }
  }

  private void nackOnIo(long seq) {
    if (!inFlight.remove(seq) || queue.entry(seq) == null) {
      return;
    }
    int n = attempts.getOrDefault(seq, 0) + 1;
    if (n >= queue.config().maxAttempts() && !deadLetter) {
      StoredRecord r = queue.readRecord(seq);
      if (r != null) {
        queue.deadLetter(r, name, n);
        ackOnIo(seq);
      }
    } else {
      attempts.put(seq, n);
      queue.markDirty();
    }
  }

  @Override
  public String toString() {
    return "Cursor[" + name + "]";
  }
}
