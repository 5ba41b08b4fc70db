package io.catena.storage.chunk;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * In-memory slot allocation per size class. Nothing of it is persisted: on open the engine marks
 * the slots its committed metadata references, so a slot written by a version that never committed
 * is free again after a crash. Thread-safe.
 */
final class SlotAllocator {
  private final EngineConfig config;
  private final List<List<BitSet>> used = new ArrayList<>();
  private final long[] usedSlots;
  private long usedBytes;

  SlotAllocator(EngineConfig config) {
    this.config = config;
    for (int i = 0; i < config.sizeClasses().size(); i++) {
      used.add(new ArrayList<>());
    }
    usedSlots = new long[config.sizeClasses().size()];
  }

  /** Makes sure files {@code 0..files-1} of a class are known (found on disk at open). */
  synchronized void knowFiles(int sizeClass, int files) {
    List<BitSet> perFile = used.get(sizeClass);
    while (perFile.size() < files) {
      perFile.add(new BitSet());
    }
  }

  synchronized void markUsed(Slot slot) {
    knowFiles(slot.sizeClass(), slot.file() + 1);
    BitSet bits = used.get(slot.sizeClass()).get(slot.file());
    if (bits.get(slot.index())) {
      throw new IllegalStateException("slot referenced twice: " + slot);
    }
    bits.set(slot.index());
    usedSlots[slot.sizeClass()]++;
    usedBytes += config.sizeClasses().get(slot.sizeClass());
  }

  /**
   * A free slot of the class, lowest file and index first; a new file index when all are full.
   * Returns null when taking it would pass {@code capacityBytes}.
   */
  synchronized Slot allocate(int sizeClass, long capacityBytes) {
    int slotBytes = config.sizeClasses().get(sizeClass);
    if (capacityBytes > 0 && usedBytes + slotBytes > capacityBytes) {
      return null;
    }
    List<BitSet> perFile = used.get(sizeClass);
    int perFileSlots = config.slotsPerFile(sizeClass);
    for (int f = 0; f < perFile.size(); f++) {
      int free = perFile.get(f).nextClearBit(0);
      if (free < perFileSlots) {
        Slot slot = new Slot(sizeClass, f, free);
        markUsed(slot);
        return slot;
      }
    }
    Slot slot = new Slot(sizeClass, perFile.size(), 0);
    markUsed(slot);
    return slot;
  }

  synchronized void free(Slot slot) {
    BitSet bits = used.get(slot.sizeClass()).get(slot.file());
    if (!bits.get(slot.index())) {
      throw new IllegalStateException("slot freed twice: " + slot);
    }
    bits.clear(slot.index());
    usedSlots[slot.sizeClass()]--;
    usedBytes -= config.sizeClasses().get(slot.sizeClass());
  }

  synchronized long usedBytes() {
    return usedBytes;
  }

  synchronized long usedSlots(int sizeClass) {
    return usedSlots[sizeClass];
  }
}
