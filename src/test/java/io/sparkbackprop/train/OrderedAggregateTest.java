package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gradient sums are added in partition order whatever order the tasks finish in: values whose
 * floating-point sum depends on the order, with tasks made to finish last-partition-first, give
 * exactly the sum of the documented tree, every time; the driver-side {@code combine} that
 * persistent tasks use adds them in the same tree.
 */
class OrderedAggregateTest {
  /** Sums of these depend on the order: 1e16 + 1 == 1e16 in float64. */
  private static final double[] VALUES = {1e16, 1.0, -1e16, 1.0, 3.0, 1e-3, 7.0, -5.5, 1e-17};

  private static GradientSum sumOf(double v) {
    GradientSum s = new GradientSum();
    s.gradient = new double[] {v};
    s.lossSum = v;
    s.count = 1;
    return s;
  }

  private static double aggregate(int partitions, int depth) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      ids.add(i);
    }
    JavaRDD<Integer> rdd = SparkTestSession.context().parallelize(ids, partitions);
    GradientSum total = OrderedAggregate.aggregate(rdd, GradientSum::new, (GradientSum acc, Integer i) -> {
      Thread.sleep(15L * (partitions - i));   // later partitions finish first
      return acc.merge(sumOf(VALUES[i]));
    }, GradientSum::merge, depth);
    assertEquals(partitions, total.count());
    assertEquals(total.gradient()[0], total.lossSum(), 0.0);
    return total.gradient()[0];
  }

  /** The tree of {@link OrderedAggregate}: groups {@code i % groups}, each summed in index order. */
  private static double expected(int partitions, int groups) {
    double[] group = new double[groups];
    boolean[] started = new boolean[groups];
    for (int i = 0; i < partitions; i++) {
      int g = i % groups;
      group[g] = started[g] ? group[g] + VALUES[i] : VALUES[i];
      started[g] = true;
    }
    double total = group[0];
    for (int g = 1; g < groups; g++) {
      total += group[g];
    }
    return total;
  }

  @ParameterizedTest(name = "partitions={0} depth={1} groups={2}")
  @CsvSource({"2, 2, 2", "7, 1, 7", "7, 2, 2", "9, 2, 3", "9, 4, 4"})
  void addsInPartitionOrderWhateverTheTaskOrder(int partitions, int depth, int groups) {
    double want = expected(partitions, groups);
    List<GradientSum> parts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      parts.add(sumOf(VALUES[i]));
    }
    assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(
        OrderedAggregate.combine(parts, GradientSum::new, GradientSum::merge, depth).gradient()[0]),
        "the same tree on the driver");
    for (int run = 0; run < 3; run++) {
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(aggregate(partitions, depth)),
          "run " + run + ": want " + want);
    }
  }
}
