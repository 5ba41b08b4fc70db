package io.catena.meta;

/** What a tenant uses: bytes of file length and inodes (its root directory not counted). */
public record Usage(long bytes, long inodes) {

  public static final Usage NONE = new Usage(0, 0);
}
