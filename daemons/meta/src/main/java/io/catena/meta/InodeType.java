package io.catena.meta;

public enum InodeType {
  FILE,
  DIRECTORY,
  SYMLINK
}
