package io.catena.topology.hotspot;

/**
 * One item's load against the mean of its kind.
 *
 * @param id the item's id as text (target, chain or node number, tenant name)
 * @param bytesPerSecond load, operations included at their byte cost
 * @param ratio load / mean load of this kind
 * @param writeShare written bytes / all bytes
 * @param hot whether the hot-spot rule flags it
 * @param reason why it is hot, in words (empty when not)
 * @param relief what would relieve it
 */
public record LoadScore(
    LoadScope scope,
    String id,
    double bytesPerSecond,
    double ratio,
    double writeShare,
    boolean hot,
    String reason,
    Relief relief) {}
