package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of the KV index: size classes, watermarks, slab growth. */
class KvRulesTest {

  @ParameterizedTest(name = "{0} bytes -> slot {1}")
  @CsvSource({
    "1, 512",
    "512, 512",
    "513, 1024",
    "1000, 1024",
    "4096, 4096",
    "4097, 4608",
    "8193, 8704",
    "65536, 65536",
    "1048576, 1048576",
    "1310720, 1310720", // 1.25 MiB: MHA page per rank, exact
    "4497408, 4718592", // DeepSeek-V3 64-token page (70,272 B/token): 95.3%
    "16777216, 16777216",
    "16777217, 17825792",
    "1073741824, 1073741824"
  })
  void slotSizes(long length, long slot) {
    assertThat(KvSizeClasses.slotSize(length)).isEqualTo(slot);
  }

  @Property
  void aSlotHoldsItsValueAndWastesLessThanASixteenthOrHalfAKibibyte(
      @ForAll @LongRange(min = 1, max = 1L << 30) long length) {
    long slot = KvSizeClasses.slotSize(length);
    assertThat(slot).isGreaterThanOrEqualTo(length);
    assertThat(slot % 512).isZero();
    assertThat(slot - length).isLessThan(Math.max(KvSizeClasses.MIN_SLOT, slot / 16));
  }

  @Property
  void slotSizesGrowWithValues(
      @ForAll @LongRange(min = 1, max = 1L << 30) long a,
      @ForAll @LongRange(min = 1, max = 1L << 30) long b) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    assertThat(KvSizeClasses.slotSize(lo)).isLessThanOrEqualTo(KvSizeClasses.slotSize(hi));
    // a value of exactly a slot's size gets that slot: classes are fixed points
    long slot = KvSizeClasses.slotSize(lo);
    assertThat(KvSizeClasses.slotSize(slot)).isEqualTo(slot);
  }

  @ParameterizedTest
  @CsvSource({"0", "-1", "1073741825"})
  void refusesLengthsOutsideTheRange(long length) {
    assertThatThrownBy(() -> KvSizeClasses.slotSize(length))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "cap {0}, used {1} + {2} -> free {3}, fits {4}")
  @CsvSource({
    // capacity, used, incoming, bytes to free (high 95%, low 90%), fits in the capacity
    "0, 999999, 1000, 0, true",
    "1000, 0, 100, 0, true",
    "1000, 850, 100, 0, true",
    "1000, 851, 100, 51, true",
    "1000, 900, 100, 100, true",
    "1000, 990, 100, 190, false",
    "1000, 0, 2000, 1100, false"
  })
  void watermarks(long capacity, long used, long incoming, long toFree, boolean fits) {
    KvWatermarks marks = new KvWatermarks(capacity, 95, 90);
    assertThat(marks.bytesToFree(used, incoming)).isEqualTo(toFree);
    assertThat(marks.fits(used, incoming)).isEqualTo(fits);
  }

  @Property
  void evictingWhatWatermarksAskLeavesRoomBelowTheHighMark(
      @ForAll @LongRange(min = 1, max = 1L << 40) long capacity,
      @ForAll @LongRange(min = 0, max = 1L << 40) long used,
      @ForAll @LongRange(min = 1, max = 1L << 30) long incoming) {
    KvWatermarks marks = new KvWatermarks(capacity, 95, 90);
    long free = marks.bytesToFree(used, incoming);
    long after = Math.max(0, used - free);
    if (incoming <= capacity * 90 / 100) {
      assertThat(marks.fits(after, incoming)).isTrue();
      assertThat(marks.bytesToFree(after, incoming)).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource({"95, 96", "80, 90", "101, 90", "50, 0"})
  void refusesBadWatermarks(int high, int low) {
    assertThatThrownBy(() -> new KvWatermarks(100, high, low))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "slot {0}, {1} allocated, capacity {4} -> {2} (max {3})")
  @CsvSource({
    // slab 1 GiB, extent 64 MiB
    "1048576, 0, 64, 1024, 0",
    "1048576, 64, 128, 1024, 0",
    "1048576, 1000, 1024, 1024, 0",
    "134217728, 0, 1, 8, 0",
    "2147483648, 0, 1, 1, 0",
    // a capacity of 128 MiB limits extents to 8 MiB
    "1048576, 0, 8, 1024, 134217728",
    "1048576, 8, 16, 1024, 134217728",
    "67108864, 0, 1, 16, 134217728"
  })
  void slabGrowth(long slot, long allocated, long grown, long max, long capacity) {
    KvSlabGeometry g = new KvSlabGeometry(1L << 30, 64L << 20);
    assertThat(g.grownSlots(slot, allocated, capacity)).isEqualTo(grown);
    assertThat(g.slotsPerSlab(slot)).isEqualTo(max);
  }
}
