package io.sparkbackprop.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import scala.Function1;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The driver's RPC endpoint of {@link PersistentTasks}: collects one gradient sum per partition
 * per step, on Spark's RPC dispatcher thread, and queues each complete step, added as a
 * job-per-step step would ({@link OrderedAggregate#combine}), for the training thread, which
 * replies the new weights. Also receives the tasks' one-way reports of why they failed.
 *
 * <p>Every message carries the number of the job it comes from; only the current job's are
 * accepted, so a task of a failed job that is still finishing cannot mix into its successor.
 */
final class PersistentTaskEndpoint implements ThreadSafeRpcEndpoint {
  private final RpcEnv rpcEnv;
  private final int partitions;
  private final int depth;
  /** Complete steps ({@link Round}) or errors ({@link RuntimeException}), for the training thread. */
  final LinkedBlockingQueue<Object> rounds = new LinkedBlockingQueue<>();
  private final RpcCallContext[] callers;
  private final Object[][] parts;
  private int arrived;
  /** The job whose messages are accepted; 0 = none. */
  private int job;
  private String lastTaskFailure;

  PersistentTaskEndpoint(RpcEnv rpcEnv, int partitions, int depth) {
    this.rpcEnv = rpcEnv;
    this.partitions = partitions;
    this.depth = depth;
    this.callers = new RpcCallContext[partitions];
    this.parts = new Object[partitions][];
  }

  /** The last failure a task of the current job reported ("partition P: exception"), or null. */
  synchronized String lastTaskFailure() {
    return lastTaskFailure;
  }

  /** Accepts the messages of {@code job} only, from now on; forgets everything before. */
  synchronized void open(int job) {
    this.job = job;
    lastTaskFailure = null;
    clear();
    rounds.clear();
  }

  /** Refuses all sums until the next {@link #open}. */
  synchronized void shut() {
    job = 0;
  }

  @Override
  public RpcEnv rpcEnv() {
    return rpcEnv;
  }

  /** One-way reports of tasks that failed: {@link #failureReport}. */
  @Override
  public PartialFunction<Object, BoxedUnit> receive() {
    return handling(m -> taskFailed((Integer) m[0], (String) m[1]));
  }

  /** Each step's sums: {@link #contribution}; the reply is the new weights, sent later. */
  @Override
  public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
    return handling(m -> receive(context, m));
  }

  /** Spark's message handler for this endpoint's messages, which are all {@code Object[]}. */
  private static PartialFunction<Object, BoxedUnit> handling(Consumer<Object[]> handler) {
    return new AbstractPartialFunction<>() {
      @Override
      public boolean isDefinedAt(Object message) {
        return message instanceof Object[];
      }

      @Override
      public <A1, B1> B1 applyOrElse(A1 message, Function1<A1, B1> fallback) {
        if (!(message instanceof Object[] m)) {
          return fallback.apply(message);
        }
        handler.accept(m);
        @SuppressWarnings("unchecked")
        B1 unit = (B1) BoxedUnit.UNIT;
        return unit;
      }
    };
  }

  private synchronized void taskFailed(int fromJob, String failure) {
    if (fromJob == job) {
      lastTaskFailure = failure;
    }
  }

  private synchronized void receive(RpcCallContext context, Object[] m) {
    int j = (Integer) m[0];
    int p = (Integer) m[2];
    if (j == 0 || j != job || p < 0 || p >= partitions) {
      context.sendFailure(new IllegalStateException("no persistent-task step is expecting job "
          + j + ", partition " + p));
      return;
    }
    if (callers[p] != null) {
      context.sendFailure(new IllegalStateException("partition " + p + " sent step "
          + m[1] + " twice"));
      return;
    }
    callers[p] = context;
    parts[p] = m;
    if (++arrived == partitions) {
      int step = (Integer) parts[0][1];
      List<GradientSum> sums = new ArrayList<>(partitions);
      for (Object[] part : parts) {
        if ((Integer) part[1] != step) {
          rounds.add(new IllegalStateException("persistent tasks out of step: " + step + " and "
              + part[1]));
          clear();
          return;
        }
        sums.add(toSum(part));
      }
      // The additions of a treeAggregate step, in the same order: the same sum to the bit.
      GradientSum sum = OrderedAggregate.combine(sums, GradientSum::new, GradientSum::merge, depth);
      rounds.add(new Round(step, sum, callers.clone()));
      clear();
    }
  }

  private void clear() {
    Arrays.fill(callers, null);
    Arrays.fill(parts, null);
    arrived = 0;
  }

  /** What a task sends for one step: only JDK types, so the driver can read it on any classpath. */
  static Object[] contribution(int job, int step, int partition, GradientSum sum) {
    Object gradient = sum == null ? null : sum.gradient != null ? sum.gradient : sum.gradient32;
    return new Object[] {job, step, partition, sum == null ? 0L : sum.count,
        sum == null ? 0.0 : sum.lossSum, gradient};
  }

  /** What a failing task sends (one way): its job and "partition P: exception". */
  static Object[] failureReport(int job, int partition, Throwable e) {
    return new Object[] {job, "partition " + partition + ": " + e.toString().lines().findFirst().orElse("")};
  }

  private static GradientSum toSum(Object[] message) {
    GradientSum sum = new GradientSum();
    sum.count = (Long) message[3];
    sum.lossSum = (Double) message[4];
    if (message[5] instanceof double[] g) {
      sum.gradient = g;
    } else if (message[5] instanceof float[] g) {
      sum.gradient32 = g;
    }
    return sum;
  }

  /** One step's summed contributions and the tasks waiting for the weights. */
  record Round(int step, GradientSum sum, RpcCallContext[] callers) {
  }
}
