package io.catena.storage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectBufferPoolTest {

  private static final int MIB = 1024 * 1024;

  @ParameterizedTest
  @CsvSource({
    "100, false, 100",
    "65535, false, 65535",
    "65536, true, 65536",
    "65537, true, 131072",
    "1048576, true, 1048576",
    "1100000, true, 2097152",
    "4194304, true, 4194304",
    "4194305, false, 4194305"
  })
  void aBufferIsTheSmallestPowerOfTwoThatHoldsTheRequest(int size, boolean direct, int capacity) {
    DirectBufferPool pool = new DirectBufferPool(4 * MIB, 64L * MIB);
    ByteBuffer b = pool.acquire(size);
    assertThat(b.isDirect()).isEqualTo(direct);
    assertThat(b.capacity()).isEqualTo(capacity);
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(size);
  }

  @Test
  void manySmallBuffersInFlightStayWithinTheBudgetAndFallBackToTheHeap() {
    DirectBufferPool pool = new DirectBufferPool(4 * MIB, 8L * MIB);
    List<ByteBuffer> inFlight = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      inFlight.add(pool.acquire(64 * 1024));
    }
    assertThat(inFlight.stream().filter(ByteBuffer::isDirect)).hasSize(128);
    assertThat(pool.allocatedBytes()).isEqualTo(8L * MIB);
    inFlight.forEach(pool::release);
    assertThat(pool.acquire(64 * 1024).isDirect()).as("a released buffer is reused").isTrue();
    assertThat(pool.allocatedBytes()).isEqualTo(8L * MIB);
  }

  @Test
  void aReleasedBufferIsReusedForItsSizeClassOnly() {
    DirectBufferPool pool = new DirectBufferPool(4 * MIB, 64L * MIB);
    ByteBuffer one = pool.acquire(MIB);
    pool.release(one);
    assertThat(pool.acquire(MIB - 1)).isSameAs(one);
    assertThat(pool.acquire(MIB)).isNotSameAs(one);
    pool.release(ByteBuffer.allocate(MIB));
    assertThat(pool.allocatedBytes()).isEqualTo(2L * MIB);
  }
}
