package io.sparkbackprop.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Spark's {@code treeAggregate} with a fixed order of additions. Spark's merges the partial
 * results of a level, and on the driver, in the order tasks finish, so with three or more
 * partitions floating-point sums may differ in their last bits between runs of the same training.
 * Here the tree has the same shape as Spark's for the same depth (partition {@code i} joins group
 * {@code i % groups}, levels while that saves a level of fan-in), but every group and the driver
 * add their inputs in partition order, starting from a fresh zero. So the same data, partitioning
 * and seed give the same sums to the last bit, however tasks are scheduled; with one or two
 * partitions the result equals Spark's, whose two-term sums commute.
 */
final class OrderedAggregate {
  private OrderedAggregate() {
  }

  /**
   * The aggregate of {@code rdd}: {@code seqOp} folds each partition from {@code zero()},
   * {@code combOp} adds two partial results into the first and returns it.
   */
  static <T, U extends Serializable> U aggregate(JavaRDD<T> rdd, Function0<U> zero,
      Function2<U, T, U> seqOp, Function2<U, U, U> combOp, int depth) {
    JavaPairRDD<Integer, U> level = rdd.mapPartitionsWithIndex((Integer i, Iterator<T> rows) -> {
      U acc = zero.call();
      while (rows.hasNext()) {
        acc = seqOp.call(acc, rows.next());
      }
      return List.of(new Tuple2<>(i, acc)).iterator();
    }, true).mapToPair(t -> t);
    for (int groups : levels(rdd.getNumPartitions(), depth)) {
      level = level.mapToPair(t -> new Tuple2<>(t._1() % groups, t)).groupByKey(groups)
          .mapToPair(group -> new Tuple2<>(group._1(), inOrder(group._2(), zero, combOp)));
    }
    return inOrder(level.collect(), zero, combOp);
  }

  /**
   * The same tree as {@link #aggregate} over parts already on the driver ({@code parts.get(i)} is
   * partition {@code i}'s): the same additions in the same order, so the same result to the bit.
   */
  static <U> U combine(List<U> parts, Function0<U> zero, Function2<U, U, U> combOp, int depth) {
    List<Tuple2<Integer, U>> level = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      level.add(new Tuple2<>(i, parts.get(i)));
    }
    for (int groups : levels(parts.size(), depth)) {
      List<List<Tuple2<Integer, U>>> members = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        members.add(new ArrayList<>());
      }
      for (Tuple2<Integer, U> t : level) {
        members.get(t._1() % groups).add(t);
      }
      List<Tuple2<Integer, U>> next = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        next.add(new Tuple2<>(g, inOrder(members.get(g), zero, combOp)));
      }
      level = next;
    }
    return inOrder(level, zero, combOp);
  }

  /**
   * The group counts of the tree's levels below the driver, as Spark's {@code treeAggregate}
   * chooses them: divide by {@code scale = max(ceil(n^(1/depth)), 2)} while a level saves fan-in.
   */
  static List<Integer> levels(int partitions, int depth) {
    List<Integer> levels = new ArrayList<>();
    int groups = partitions;
    int scale = Math.max((int) Math.ceil(Math.pow(groups, 1.0 / depth)), 2);
    while (groups > scale + Math.ceil((double) groups / scale)) {
      groups /= scale;
      levels.add(groups);
    }
    return levels;
  }

  /** {@code zero + parts[0] + parts[1] + ...}, the parts sorted by their key. */
  private static <U> U inOrder(Iterable<Tuple2<Integer, U>> parts, Function0<U> zero,
      Function2<U, U, U> combOp) {
    List<Tuple2<Integer, U>> sorted = new ArrayList<>();
    parts.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Tuple2::_1));
    try {
      U acc = zero.call();
      for (Tuple2<Integer, U> p : sorted) {
        acc = combOp.call(acc, p._2());
      }
      return acc;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {   // Spark's function interfaces declare Exception; ours throw none
      throw new IllegalStateException(e);
    }
  }
}
