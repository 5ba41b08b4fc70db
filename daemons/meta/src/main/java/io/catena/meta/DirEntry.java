package io.catena.meta;

/** One name in a directory. */
public record DirEntry(String name, long inodeId, InodeType type) {}
