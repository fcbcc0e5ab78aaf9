package io.sparkbackprop.train;

import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskKilledException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import scala.collection.Iterator;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The task of one partition in a {@code training.exchange = persistentTasks} epoch: for every step
 * of the epoch it computes its shard's gradient sum ({@link ShardGradient#compute}, the same code
 * as a {@code treeAggregate} step), sends it to the driver's {@link PersistentTasks} endpoint and
 * waits for the weights after the driver's optimizer step. It starts from the epoch's broadcast
 * weights, so the tasks of a job that repeats a failed one repeat the epoch from its start.
 */
final class PersistentTaskStep
    extends AbstractFunction1<Iterator<DataBlock>, Iterator<Object>> implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How often a waiting task checks whether Spark killed it. */
  private static final FiniteDuration POLL = FiniteDuration.apply(200, TimeUnit.MILLISECONDS);
  /** The ask itself never times out: a slow partition is waited for, as in a treeAggregate step. */
  private static final RpcTimeout NO_TIMEOUT = new RpcTimeout(
      FiniteDuration.apply(365, TimeUnit.DAYS), "spark-backprop persistent tasks");

  private final String endpointName;
  /** The job's number, sent with every message (the driver accepts the current job's only). */
  private final int job;
  /** 0 for an epoch's first job, 1 for the job that repeats it after a failure, and so on. */
  private final int attempt;
  private final NetworkSpec spec;
  private final LossType loss;
  private final Reduction reduction;
  /** float[] in float32 runs, double[] in float64 runs. */
  private final Broadcast<?> weights;
  private final long seed;
  private final int epoch;
  private final int steps;
  private final long firstGlobalStep;
  /** Test-only ({@link FaultInjection}); null in every real run. */
  private final FaultInjection faults;

  PersistentTaskStep(String endpointName, int job, int attempt, FeedForward net,
      Broadcast<?> weights, long seed, int epoch, int steps, long firstGlobalStep,
      FaultInjection faults) {
    this.endpointName = endpointName;
    this.job = job;
    this.attempt = attempt;
    this.spec = net.spec();
    this.loss = net.loss();
    this.reduction = net.reduction();
    this.weights = weights;
    this.seed = seed;
    this.epoch = epoch;
    this.steps = steps;
    this.firstGlobalStep = firstGlobalStep;
    this.faults = faults;
  }

  @Override
  public Iterator<Object> apply(Iterator<DataBlock> blocks) {
    BarrierTaskContext task = BarrierTaskContext.get();
    // A view of the cached block with scratch buffers of this task's own: a task of the failed job
    // that this one repeats may still be finishing a step in this JVM.
    DataBlock block = blocks.hasNext() ? blocks.next().withoutScratch() : null;
    SparkEnv env = SparkEnv.get();
    RpcEndpointRef driver = RpcUtils.makeDriverRef(endpointName, env.conf(), env.rpcEnv());
    FeedForward net = new FeedForward(spec, loss, reduction);
    Object w = weights.value();
    try {
      for (int t = 0; t < steps; t++) {
        FaultInjection fault = faults == null ? null : faults.at(firstGlobalStep + t + 1);
        if (fault != null) {
          fault.apply(task.partitionId(), attempt);
        }
        GradientSum sum = block == null ? null
            : w instanceof float[] w32 ? ShardGradient.compute(net, w32, block, seed, epoch, t, steps)
            : ShardGradient.compute(net, (double[]) w, block, seed, epoch, t, steps);
        Object[] message = PersistentTaskEndpoint.contribution(job, t, task.partitionId(), sum);
        w = await(driver.ask(message, NO_TIMEOUT, ClassTag$.MODULE$.Any()), task);
      }
    } catch (Throwable e) {
      if (!(e instanceof TaskKilledException)) {
        // Spark's message for a failed barrier stage does not say why: tell the driver.
        driver.send(PersistentTaskEndpoint.failureReport(job, task.partitionId(), e));
      }
      throw e;
    }
    return scala.collection.Iterator$.MODULE$.empty();
  }

  /** The driver's reply, checking every {@link #POLL} whether this task was killed meanwhile. */
  private static Object await(Future<Object> reply, BarrierTaskContext task) {
    while (true) {
      try {
        return Await.result(reply, POLL);
      } catch (TimeoutException e) {
        task.killTaskIfInterrupted();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        task.killTaskIfInterrupted();
        throw new IllegalStateException("interrupted while waiting for the driver's weights", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {   // Scala's Await rethrows the ask's failure undeclared
        throw new IllegalStateException("the driver refused this step: " + e.getMessage(), e);
      }
    }
  }
}
