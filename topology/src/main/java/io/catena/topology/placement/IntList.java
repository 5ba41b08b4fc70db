package io.catena.topology.placement;

import java.util.Arrays;

/** A growable list of ints, to keep per-node lists cheap at 100,000+ targets. */
final class IntList {
  private int[] values = new int[4];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int get(int index) {
    return values[index];
  }

  void set(int index, int value) {
    values[index] = value;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Removes one occurrence of value by moving the last element into its place. */
  boolean removeValue(int value) {
    for (int i = 0; i < size; i++) {
      if (values[i] == value) {
        values[i] = values[--size];
        return true;
      }
    }
    return false;
  }

  /** Removes the element at index by moving the last element into its place. */
  int removeAt(int index) {
    int value = values[index];
    values[index] = values[--size];
    return value;
  }
}
