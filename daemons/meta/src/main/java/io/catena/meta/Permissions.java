package io.catena.meta;

/**
 * POSIX permission checks within a tenant: the owner's bits apply to the owner, the group's to a
 * member of the group, the others' to everyone else; uid 0 (the tenant's root) passes every check.
 */
public final class Permissions {

  private Permissions() {}

  public static boolean allows(Inode inode, Principal who, Access access) {
    if (who.uid() == 0) {
      return true;
    }
    int shift;
    if (who.uid() == inode.uid()) {
      shift = 6;
    } else if (who.gid() == inode.gid()) {
      shift = 3;
    } else {
      shift = 0;
    }
    return ((inode.mode() >> shift) & access.bit) != 0;
  }

  static void require(Inode inode, Principal who, Access access, String path) {
    if (!allows(inode, who, access)) {
      throw new MetaException(
          MetaErrorCode.PERMISSION_DENIED,
          "uid "
              + who.uid()
              + " lacks "
              + access.name().toLowerCase(java.util.Locale.ROOT)
              + " permission on "
              + path);
    }
  }
}
