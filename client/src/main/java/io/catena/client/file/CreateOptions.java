package io.catena.client.file;

/**
 * How a new file is made: permission bits, whether an existing file is an error (else it is opened
 * for writing), and layout hints (0 = the tenant's default table, 1 MiB chunks, the tenant's
 * default stripe).
 */
public record CreateOptions(
    int mode, boolean exclusive, int chainTableId, int chunkSize, int stripeSize) {

  public static CreateOptions defaults() {
    return new CreateOptions(0644, false, 0, 0, 0);
  }

  public CreateOptions withExclusive(boolean value) {
    return new CreateOptions(mode, value, chainTableId, chunkSize, stripeSize);
  }

  public CreateOptions withChunkSize(int bytes) {
    return new CreateOptions(mode, exclusive, chainTableId, bytes, stripeSize);
  }

  public CreateOptions withStripeSize(int chains) {
    return new CreateOptions(mode, exclusive, chainTableId, chunkSize, chains);
  }

  public CreateOptions withChainTable(int tableId) {
    return new CreateOptions(mode, exclusive, tableId, chunkSize, stripeSize);
  }

  public CreateOptions withMode(int bits) {
    return new CreateOptions(bits, exclusive, chainTableId, chunkSize, stripeSize);
  }
}
