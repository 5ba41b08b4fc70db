package io.catena.storage.chunk;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a target knows of one chunk: the committed version (null before the first commit) and at
 * most one pending version (staged, not yet committed). Both live in separate slots: the pending
 * one never overwrites the committed one (copy-on-write).
 */
public record ChunkMeta(ChunkId id, ChunkVersion committed, ChunkVersion pending) {
  private static final byte FORMAT = 1;

  public ChunkMeta {
    if (committed == null && pending == null) {
      throw new IllegalArgumentException("a chunk has a committed or a pending version");
    }
  }

  public long commitVersion() {
    return committed == null ? 0 : committed.version();
  }

  /** The newest version number this target has seen: pending if any, else committed. */
  public long updateVersion() {
    return pending == null ? commitVersion() : pending.version();
  }

  byte[] encode() {
    var bytes = new ByteArrayOutputStream(96);
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      writeVersion(out, committed);
      writeVersion(out, pending);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ChunkMeta decode(ChunkId id, byte[] value) {
    try (var in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("unknown chunk metadata format " + format + " of " + id);
      }
      return new ChunkMeta(id, readVersion(in), readVersion(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeVersion(DataOutputStream out, ChunkVersion v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeLong(v.version());
      out.writeLong(v.chainVersion());
      out.writeInt(v.length());
      out.writeInt(v.crc32c());
      out.writeLong(v.slot());
      out.writeUTF(v.requestId());
    }
  }

  private static ChunkVersion readVersion(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    return new ChunkVersion(
        in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readLong(), in.readUTF());
  }
}
