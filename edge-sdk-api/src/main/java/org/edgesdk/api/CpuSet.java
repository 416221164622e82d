package org.edgesdk.api;

import java.util.BitSet;
import java.util.Objects;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of CPU numbers, as the kernel writes them in sysfs, procfs and cgroup files.
 *
 * <p>{@link #parse(String)} accepts both syntaxes the kernel uses: the list syntax of
 * {@code online}, {@code related_cpus} in some drivers and {@code cpuset.cpus.effective}
 * ({@code 0-3,6}) and the space-separated syntax of {@code affected_cpus} ({@code 0 1 2 3}).
 * {@link #toString()} writes the canonical list syntax, so a set read from one file can be written to
 * another. The set has no upper bound: machines with more than 64 or 1024 CPUs are represented exactly.
 */
public final class CpuSet {
  /** Largest CPU number accepted; far above any kernel's NR_CPUS (8192). */
  public static final int MAX_CPU = 65_535;

  private static final CpuSet EMPTY = new CpuSet(new BitSet());

  private final BitSet bits;

  private CpuSet(BitSet bits) {
    this.bits = bits;
  }

  /**
   * Returns the empty set.
   *
   * @return a set without CPUs
   */
  public static CpuSet empty() {
    return EMPTY;
  }

  /**
   * Returns a set of the given CPUs.
   *
   * @param cpus CPU numbers, each between 0 and {@link #MAX_CPU}; duplicates are ignored
   * @return the set
   * @throws IllegalArgumentException if a number is out of range
   */
  public static CpuSet of(int... cpus) {
    BitSet bits = new BitSet();
    for (int cpu : cpus) {
      bits.set(checkCpu(cpu, String.valueOf(cpu)));
    }
    return new CpuSet(bits);
  }

  /**
   * Returns the CPUs from {@code first} to {@code last}, both included.
   *
   * @param first the lowest CPU number
   * @param last the highest CPU number, not below {@code first}
   * @return the set
   * @throws IllegalArgumentException if a bound is out of range or {@code last < first}
   */
  public static CpuSet range(int first, int last) {
    checkCpu(first, String.valueOf(first));
    checkCpu(last, String.valueOf(last));
    if (last < first) {
      throw new IllegalArgumentException(
          "CPU range " + first + "-" + last + " is reversed; write the lower number first");
    }
    BitSet bits = new BitSet();
    bits.set(first, last + 1);
    return new CpuSet(bits);
  }

  /**
   * Parses a CPU list in the kernel's list syntax ({@code 0-3,6}), the space-separated syntax
   * ({@code 0 1 2 3}) or a mix of both. Surrounding white space and a trailing newline are ignored;
   * an empty or blank text is the empty set, as the kernel writes for an empty list.
   *
   * @param text the text read from a sysfs, procfs or cgroup file
   * @return the parsed set
   * @throws IllegalArgumentException naming the offending element if the text is not a CPU list
   */
  public static CpuSet parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return EMPTY;
    }
    BitSet bits = new BitSet();
    int length = trimmed.length();
    int i = 0;
    while (true) {
      int numberStart = i;
      while (i < length && isDigit(trimmed.charAt(i))) {
        i++;
      }
      int first = toCpu(trimmed, numberStart, i);
      int last = first;
      if (i < length && trimmed.charAt(i) == '-') {
        numberStart = ++i;
        while (i < length && isDigit(trimmed.charAt(i))) {
          i++;
        }
        last = toCpu(trimmed, numberStart, i);
        if (last < first) {
          throw new IllegalArgumentException(
              "CPU list '" + trimmed + "' has the reversed range " + first + "-" + last
                  + "; write the lower number first");
        }
      }
      bits.set(first, last + 1);
      if (i == length) {
        return new CpuSet(bits);
      }
      // Separator: a comma (optionally surrounded by blanks) or a run of blanks.
      int separatorStart = i;
      while (i < length && Character.isWhitespace(trimmed.charAt(i))) {
        i++;
      }
      if (i < length && trimmed.charAt(i) == ',') {
        i++;
        while (i < length && Character.isWhitespace(trimmed.charAt(i))) {
          i++;
        }
      } else if (i == separatorStart) {
        throw new IllegalArgumentException(
            "CPU list '" + trimmed + "' contains '" + trimmed.charAt(i)
                + "' at position " + i + "; expected a form like 0-3,6 or 0 1 2 3");
      }
      if (i == length) {
        throw new IllegalArgumentException(
            "CPU list '" + trimmed + "' ends with a separator; expected a form like 0-3,6 or 0 1 2 3");
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int toCpu(String list, int start, int end) {
    if (start == end) {
      String found = start < list.length() ? "'" + list.charAt(start) + "'" : "the end";
      throw new IllegalArgumentException(
          "CPU list '" + list + "' has " + found + " at position " + start
              + " where a CPU number belongs (an empty element?); expected a form like 0-3,6 or 0 1 2 3");
    }
    if (end - start > 6) {
      throw new IllegalArgumentException(
          "CPU number " + list.substring(start, end) + " in '" + list + "' is outside 0.." + MAX_CPU);
    }
    return checkCpu(Integer.parseInt(list, start, end, 10), list);
  }

  private static int checkCpu(int cpu, String source) {
    if (cpu < 0 || cpu > MAX_CPU) {
      throw new IllegalArgumentException(
          "CPU number " + cpu + " in '" + source + "' is outside 0.." + MAX_CPU);
    }
    return cpu;
  }

  /**
   * Returns whether the set holds {@code cpu}.
   *
   * @param cpu a CPU number; negative numbers are never contained
   * @return {@code true} if the CPU is in the set
   */
  public boolean contains(int cpu) {
    return cpu >= 0 && bits.get(cpu);
  }

  /**
   * Returns the number of CPUs in the set.
   *
   * @return the cardinality
   */
  public int size() {
    return bits.cardinality();
  }

  /**
   * Returns whether the set holds no CPU.
   *
   * @return {@code true} for the empty set
   */
  public boolean isEmpty() {
    return bits.isEmpty();
  }

  /**
   * Returns the highest CPU number in the set, or -1 for the empty set.
   *
   * @return the highest CPU number
   */
  public int last() {
    return bits.length() - 1;
  }

  /**
   * Returns the CPUs in ascending order.
   *
   * @return a stream of CPU numbers
   */
  public IntStream stream() {
    return bits.stream();
  }

  /**
   * Returns the CPUs in ascending order as an array.
   *
   * @return a new array of CPU numbers
   */
  public int[] toArray() {
    return bits.stream().toArray();
  }

  /**
   * Returns the CPUs present in both sets, for example a requested affinity clamped to a cgroup's
   * {@code cpuset.cpus.effective}.
   *
   * @param other the other set
   * @return the intersection
   */
  public CpuSet intersect(CpuSet other) {
    BitSet copy = (BitSet) bits.clone();
    copy.and(other.bits);
    return new CpuSet(copy);
  }

  /**
   * Returns the CPUs present in either set.
   *
   * @param other the other set
   * @return the union
   */
  public CpuSet union(CpuSet other) {
    BitSet copy = (BitSet) bits.clone();
    copy.or(other.bits);
    return new CpuSet(copy);
  }

  /**
   * Returns whether every CPU of {@code other} is in this set.
   *
   * @param other the other set
   * @return {@code true} if {@code other} is a subset of this set
   */
  public boolean containsAll(CpuSet other) {
    BitSet missing = (BitSet) other.bits.clone();
    missing.andNot(bits);
    return missing.isEmpty();
  }

  /**
   * Returns the set as a little-endian array of 64-bit words (CPU {@code n} is bit {@code n % 64} of
   * word {@code n / 64}), the layout of the kernel's {@code cpu_set_t} on 64-bit machines.
   *
   * @return a new array, empty for the empty set
   */
  public long[] toWords() {
    return bits.toLongArray();
  }

  /**
   * Returns the set from the word layout of {@link #toWords()}.
   *
   * @param words little-endian 64-bit words
   * @return the set
   * @throws IllegalArgumentException if a set bit is above {@link #MAX_CPU}
   */
  public static CpuSet fromWords(long[] words) {
    BitSet bits = BitSet.valueOf(words);
    if (bits.length() - 1 > MAX_CPU) {
      throw new IllegalArgumentException(
          "CPU mask has CPU " + (bits.length() - 1) + " set, above the maximum " + MAX_CPU);
    }
    return new CpuSet(bits);
  }

  /**
   * Returns the canonical list syntax as the kernel writes it: ascending, every run of two or more
   * consecutive CPUs written as a range ({@code 0-3,6,8-9}).
   *
   * @return the list, empty for the empty set
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    int start = bits.nextSetBit(0);
    while (start >= 0) {
      int end = bits.nextClearBit(start) - 1;
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(start);
      if (end > start) {
        out.append('-').append(end);
      }
      start = bits.nextSetBit(end + 1);
    }
    return out.toString();
  }

  @Override
  public boolean equals(@Nullable Object obj) {
    return obj instanceof CpuSet other && bits.equals(other.bits);
  }

  @Override
  public int hashCode() {
    return bits.hashCode();
  }
}
