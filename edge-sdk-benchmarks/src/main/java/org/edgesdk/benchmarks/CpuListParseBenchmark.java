package org.edgesdk.benchmarks;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.edgesdk.api.CpuSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a kernel CPU list ({@code cpuset.cpus.effective}, {@code affected_cpus}) with
 * {@link CpuSet#parse(String)} against the baseline a hand-written reader uses: {@code split(",")},
 * {@code split("-")} and {@link Integer#parseInt(String)} into a {@link BitSet}. The baseline does not
 * validate and accepts only the comma syntax; the ratio shows what validation and the second syntax
 * cost.
 *
 * <p>Run: {@code java -jar edge-sdk-benchmarks/target/benchmarks.jar CpuListParse}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuListParseBenchmark {

  /** A Raspberry Pi's four cores, a big.LITTLE split, and a 256-CPU server's fragmented cpuset. */
  @Param({"0-3", "0-3,6-7", "0-15,32-47,64-79,96-111,128-143,160-175,192-207,224-239"})
  public String list;

  @Benchmark
  public CpuSet sdkCpuSetParse() {
    return CpuSet.parse(list);
  }

  @Benchmark
  public BitSet baselineSplitParseInt() {
    BitSet bits = new BitSet();
    for (String element : list.trim().split(",")) {
      String[] bounds = element.split("-");
      int first = Integer.parseInt(bounds[0]);
      int last = bounds.length > 1 ? Integer.parseInt(bounds[1]) : first;
      bits.set(first, last + 1);
    }
    return bits;
  }
}
