package io.catena.meta;

/** What a create asks of the new file's layout; 0 in a field means "the default". */
public record LayoutRequest(int chainTableId, int chunkSize, int stripeSize) {
  public static final LayoutRequest DEFAULT = new LayoutRequest(0, 0, 0);
}
