package io.catena.storage.server;

import io.catena.protocol.data.DataChannelTls;
import org.junit.jupiter.api.AfterEach;

/** {@link ChunkDataChannelTlsTest} with the JDK's TLS on both ends instead of BoringSSL. */
class ChunkDataChannelJdkTlsTest extends ChunkDataChannelTlsTest {
  private static final String PROPERTY = "catena.dataChannel.tls";

  @Override
  void beforeStart() {
    System.setProperty(PROPERTY, "jdk");
  }

  @AfterEach
  void useTheDefault() {
    System.clearProperty(PROPERTY);
  }

  @Override
  DataChannelTls.Provider expectedProvider() {
    return DataChannelTls.Provider.JDK;
  }
}
