package io.catena.storage.chunk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The large data files of one target: {@code data/<slotBytes>/<file>.dat}, each sized up front to
 * {@code slotsPerFile * slotBytes} (sparse: Java has no fallocate). All I/O is positional.
 */
final class DataFiles implements AutoCloseable {
  private static final Pattern FILE_NAME = Pattern.compile("(\\d+)\\.dat");
  private final Path root;
  private final EngineConfig config;

  /**
   * Data-file bytes mapped at most per target for the data channel: 64 files of the default 256
   * MiB, whose page tables take at most 32 MiB when every page has been read.
   */
  static final long MAX_MAPPED_BYTES = 16L << 30;

  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();
  private final DataFileMappings mappings = new DataFileMappings(MAX_MAPPED_BYTES);

  DataFiles(Path targetDir, EngineConfig config) throws IOException {
    this.root = targetDir.resolve("data");
    this.config = config;
    Files.createDirectories(root);
  }

  /** How many files of each class exist on disk (the highest index + 1). */
  int existingFiles(int sizeClass) throws IOException {
    Path dir = classDir(sizeClass);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int max = -1;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = FILE_NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max + 1;
  }

  void write(Slot slot, ByteBuffer data) throws IOException {
    FileChannel ch = channel(slot);
    long pos = position(slot);
    while (data.hasRemaining()) {
      pos += ch.write(data, pos);
    }
  }

  /** Reads {@code dst.remaining()} bytes from {@code offset} within the slot. */
  void read(Slot slot, long offset, ByteBuffer dst) throws IOException {
    FileChannel ch = channel(slot);
    long pos = position(slot) + offset;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        // Past the end of a sparse file never written there: zeros.
        while (dst.hasRemaining()) {
          dst.put((byte) 0);
        }
        return;
      }
      pos += n;
    }
  }

  /**
   * {@code length} bytes from {@code offset} within the slot, mapped read-only; close them when
   * done.
   */
  DataFileMappings.MappedBytes mapped(Slot slot, long offset, int length) throws IOException {
    return mappings.bytes(key(slot), channel(slot), position(slot) + offset, length);
  }

  void force(Slot slot) throws IOException {
    channel(slot).force(false);
  }

  private long position(Slot slot) {
    return (long) slot.index() * config.sizeClasses().get(slot.sizeClass());
  }

  private Path classDir(int sizeClass) {
    return root.resolve(Integer.toString(config.sizeClasses().get(sizeClass)));
  }

  private FileChannel channel(Slot slot) {
    return open.computeIfAbsent(key(slot), k -> openFile(slot.sizeClass(), slot.file()));
  }

  private static long key(Slot slot) {
    return ((long) slot.sizeClass() << 32) | slot.file();
  }

  private FileChannel openFile(int sizeClass, int file) {
    try {
      Path dir = classDir(sizeClass);
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolve(file + ".dat"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      long size = (long) config.slotsPerFile(sizeClass) * config.sizeClasses().get(sizeClass);
      if (ch.size() < size) {
        try (var raf = new java.io.RandomAccessFile(dir.resolve(file + ".dat").toFile(), "rw")) {
          raf.setLength(size);
        }
      }
      return ch;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    mappings.close();
    for (FileChannel ch : open.values()) {
      ch.close();
    }
    open.clear();
  }
}
