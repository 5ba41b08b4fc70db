package io.catena.client.kv;

/**
 * A tenant's KV space: the policy as set (zeros are defaults), the capacity in force (0 =
 * unlimited), and what is used. {@code valueBytes / slabBytes} is the space utilisation.
 */
public record KvStats(
    long capacityBytes,
    int highWatermarkPct,
    int lowWatermarkPct,
    long defaultTtlMs,
    long effectiveCapacity,
    long entries,
    long valueBytes,
    long slotBytes,
    long slabBytes,
    long evictions,
    long expirations,
    long reclaimedReservations) {

  /** Bytes of values over bytes of slab files (what the tenant is charged); 0 when empty. */
  public double utilisation() {
    return slabBytes == 0 ? 0 : (double) valueBytes / slabBytes;
  }

  static KvStats of(io.catena.protocol.kv.StatsReply r) {
    return new KvStats(
        r.getPolicy().getCapacityBytes(),
        r.getPolicy().getHighWatermarkPct(),
        r.getPolicy().getLowWatermarkPct(),
        r.getPolicy().getDefaultTtlMs(),
        r.getEffectiveCapacity(),
        r.getEntries(),
        r.getValueBytes(),
        r.getSlotBytes(),
        r.getSlabBytes(),
        r.getEvictions(),
        r.getExpirations(),
        r.getReclaimedReservations());
  }
}
