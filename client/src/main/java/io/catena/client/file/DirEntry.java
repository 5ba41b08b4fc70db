package io.catena.client.file;

/** One name in a directory. */
public record DirEntry(String name, long inodeId, FileType type) {}
