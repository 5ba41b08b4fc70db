package io.catena.agents;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a daemon's log: the last N lines, then the lines appended since a position. Only complete
 * lines are returned; a partial last line waits for its newline.
 */
final class LogTail {

  /** Lines read and the file position after the last complete line. */
  record Read(List<String> lines, long position) {}

  private static final int BLOCK = 8192;
  private static final int MAX_READ = 1 << 20;

  private LogTail() {}

  /** The last {@code count} complete lines, and the position after them (the end of the last). */
  static Read last(Path file, int count) throws IOException {
    if (!Files.exists(file)) {
      return new Read(List.of(), 0);
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long end = endOfLastCompleteLine(raf, length);
      if (count == 0) {
        return new Read(List.of(), end);
      }
      // Walk back block by block until count newlines (plus the one ending the last line) are seen.
      long start = end;
      int newlines = 0;
      byte[] buffer = new byte[BLOCK];
      outer:
      while (start > 0) {
        int size = (int) Math.min(BLOCK, start);
        raf.seek(start - size);
        raf.readFully(buffer, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          if (buffer[i] == '\n') {
            newlines++;
            if (newlines > count) {
              start = start - size + i + 1;
              break outer;
            }
          }
        }
        start -= size;
      }
      return new Read(readLines(raf, start, end), end);
    }
  }

  /** Complete lines appended after {@code position}; restarts at 0 if the file shrank. */
  static Read since(Path file, long position) throws IOException {
    if (!Files.exists(file)) {
      return new Read(List.of(), 0);
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long from = position > length ? 0 : position;
      long end = endOfLastCompleteLine(raf, Math.min(length, from + MAX_READ));
      if (end <= from) {
        return new Read(List.of(), from);
      }
      return new Read(readLines(raf, from, end), end);
    }
  }

  private static long endOfLastCompleteLine(RandomAccessFile raf, long length) throws IOException {
    long pos = length;
    byte[] buffer = new byte[BLOCK];
    while (pos > 0) {
      int size = (int) Math.min(BLOCK, pos);
      raf.seek(pos - size);
      raf.readFully(buffer, 0, size);
      for (int i = size - 1; i >= 0; i--) {
        if (buffer[i] == '\n') {
          return pos - size + i + 1;
        }
      }
      pos -= size;
    }
    return 0;
  }

  private static List<String> readLines(RandomAccessFile raf, long from, long to)
      throws IOException {
    byte[] bytes = new byte[(int) Math.min(to - from, Integer.MAX_VALUE - 16)];
    raf.seek(from);
    raf.readFully(bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(lineStart, i));
        lineStart = i + 1;
      }
    }
    return lines;
  }
}
