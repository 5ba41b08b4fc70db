package io.catena.client.storage;

/** Lets tests outside this package see how read payloads were copied. */
public final class DirectReadMarshallerProbe {
  private DirectReadMarshallerProbe() {}

  public static long fromTransport() {
    return DirectReadMarshaller.FROM_TRANSPORT.sum();
  }

  public static long bounced() {
    return DirectReadMarshaller.BOUNCED.sum();
  }
}
