package io.catena.meta;

/** The permission bits an operation needs on an inode. */
public enum Access {
  READ(4),
  WRITE(2),
  EXECUTE(1);

  final int bit;

  Access(int bit) {
    this.bit = bit;
  }
}
