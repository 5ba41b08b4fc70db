package io.catena.meta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of meta's values. Each starts with a format byte so a later format can be read
 * alongside this one.
 */
final class ValueCodec {

  private static final byte FORMAT = 1;

  private ValueCodec() {}

  @FunctionalInterface
  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] encode(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T decode(byte[] value, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new MetaException(MetaErrorCode.INTERNAL, "unknown value format " + format);
      }
      return reader.read(in);
    } catch (IOException e) {
      throw new MetaException(MetaErrorCode.INTERNAL, "corrupt meta value: " + e, e);
    }
  }

  static byte[] inode(Inode i) {
    return encode(
        out -> {
          out.writeLong(i.tenantId());
          out.writeLong(i.id());
          out.writeByte(i.type().ordinal());
          out.writeInt(i.mode());
          out.writeInt(i.uid());
          out.writeInt(i.gid());
          out.writeInt(i.nlink());
          out.writeLong(i.length());
          out.writeLong(i.mtimeNanos());
          out.writeLong(i.ctimeNanos());
          out.writeLong(i.parentId());
          out.writeBoolean(i.layout() != null);
          if (i.layout() != null) {
            writeLayout(out, i.layout());
          }
          out.writeUTF(i.symlinkTarget() == null ? "" : i.symlinkTarget());
        });
  }

  static Inode inode(byte[] value) {
    return decode(
        value,
        in -> {
          long tenant = in.readLong();
          long id = in.readLong();
          InodeType type = InodeType.values()[in.readByte()];
          int mode = in.readInt();
          int uid = in.readInt();
          int gid = in.readInt();
          int nlink = in.readInt();
          long length = in.readLong();
          long mtime = in.readLong();
          long ctime = in.readLong();
          long parent = in.readLong();
          FileLayout layout = in.readBoolean() ? readLayout(in) : null;
          String target = in.readUTF();
          return new Inode(
              tenant,
              id,
              type,
              mode,
              uid,
              gid,
              nlink,
              length,
              mtime,
              ctime,
              parent,
              layout,
              type == InodeType.SYMLINK ? target : null);
        });
  }

  private static void writeLayout(DataOutputStream out, FileLayout l) throws IOException {
    out.writeInt(l.chainTableId());
    out.writeInt(l.chainTableVersion());
    out.writeInt(l.chunkSize());
    out.writeInt(l.stripeSize());
    for (int chain : l.chainIds()) {
      out.writeInt(chain);
    }
  }

  private static FileLayout readLayout(DataInputStream in) throws IOException {
    int table = in.readInt();
    int version = in.readInt();
    int chunk = in.readInt();
    int stripe = in.readInt();
    List<Integer> chains = new ArrayList<>(stripe);
    for (int i = 0; i < stripe; i++) {
      chains.add(in.readInt());
    }
    return new FileLayout(table, version, chunk, stripe, chains);
  }

  static byte[] dentry(long inodeId, InodeType type) {
    return encode(
        out -> {
          out.writeLong(inodeId);
          out.writeByte(type.ordinal());
        });
  }

  static DirEntry dentry(String name, byte[] value) {
    return decode(
        value, in -> new DirEntry(name, in.readLong(), InodeType.values()[in.readByte()]));
  }

  static byte[] tenant(Tenant t) {
    return encode(
        out -> {
          out.writeLong(t.id());
          out.writeUTF(t.name());
          out.writeLong(t.quota().maxBytes());
          out.writeLong(t.quota().maxInodes());
          out.writeInt(t.chainTableIds().size());
          for (int table : t.chainTableIds()) {
            out.writeInt(table);
          }
          out.writeInt(t.defaultStripeSize());
          out.writeLong(t.rootInodeId());
        });
  }

  static Tenant tenant(byte[] value) {
    return decode(
        value,
        in -> {
          long id = in.readLong();
          String name = in.readUTF();
          Quota quota = new Quota(in.readLong(), in.readLong());
          int n = in.readInt();
          List<Integer> tables = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            tables.add(in.readInt());
          }
          return new Tenant(id, name, quota, tables, in.readInt(), in.readLong());
        });
  }

  static byte[] token(TokenRecord t) {
    return encode(
        out -> {
          out.writeLong(t.tokenId());
          out.writeLong(t.tenantId());
          out.writeInt(t.uid());
          out.writeInt(t.gid());
          out.writeShort(t.salt().length);
          out.write(t.salt());
          out.writeShort(t.hash().length);
          out.write(t.hash());
          out.writeLong(t.createdMillis());
          out.writeLong(t.expiresAtMillis());
          out.writeBoolean(t.revoked());
        });
  }

  static TokenRecord token(byte[] value) {
    return decode(
        value,
        in -> {
          long id = in.readLong();
          long tenant = in.readLong();
          int uid = in.readInt();
          int gid = in.readInt();
          byte[] salt = in.readNBytes(in.readShort());
          byte[] hash = in.readNBytes(in.readShort());
          return new TokenRecord(
              id, tenant, uid, gid, salt, hash, in.readLong(), in.readLong(), in.readBoolean());
        });
  }

  static byte[] gcTask(GcTask task) {
    ChunkRemoval r = task.removal();
    return encode(
        out -> {
          out.writeLong(r.tenantId());
          out.writeLong(r.inodeId());
          writeLayout(out, r.layout());
          out.writeLong(r.keepLength());
          out.writeLong(r.knownLength());
          out.writeBoolean(task.deleteInode());
        });
  }

  static GcTask gcTask(byte[] value) {
    return decode(
        value,
        in ->
            new GcTask(
                new ChunkRemoval(
                    in.readLong(), in.readLong(), readLayout(in), in.readLong(), in.readLong()),
                in.readBoolean()));
  }

  static byte[] session(long createdMillis) {
    return encode(out -> out.writeLong(createdMillis));
  }
}
