package io.sparkbackprop.train;

import io.sparkbackprop.config.InvalidConfigException;
import io.sparkbackprop.data.BlockedDataset;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Precision;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.scheduler.BarrierJobUnsupportedRDDChainException;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The driver side of {@code training.exchange = persistentTasks}: one Spark barrier job per epoch
 * whose tasks ({@link PersistentTaskStep}) stay running for all the epoch's steps. Each step every
 * task sends its gradient sum to an RPC endpoint registered here; when all partitions have sent,
 * the sums are added in the order of a job-per-step step ({@link OrderedAggregate#combine}) and
 * handed to the training thread, which applies the
 * optimizer exactly as for a {@code treeAggregate} step and replies the new weights to every task.
 * What this saves is the scheduling of one Spark job per step (broadcast, task launch, result
 * handling); the arithmetic and the order of the additions are the {@link Trainer}'s.
 *
 * <p>Barrier scheduling starts all tasks together or none, so a free task slot is needed for every
 * partition. When Spark restarts the barrier stage (a task or an executor was lost) the new tasks
 * start the epoch again from its broadcast weights; {@link #nextSum} then returns null and the
 * trainer goes back to the state it had at the epoch's start.
 *
 * <p>Uses Spark's internal RPC classes ({@code org.apache.spark.rpc}, public in the bytecode but
 * not a stable API), which is why it is tied to the Spark version in the pom.
 */
final class PersistentTasks implements AutoCloseable {
  /** How long to wait for executors to offer a slot for every partition. */
  private static final long SLOT_WAIT_MILLIS = 60_000;
  private static final AtomicLong IDS = new AtomicLong();
  private static final Pattern STAGE_ATTEMPTS = Pattern.compile("maximum allowable number of times: (\\d+)");

  private final JavaSparkContext sc;
  private final RpcEnv rpcEnv;
  private final String name;
  private final PersistentTaskEndpoint endpoint;
  private final RpcEndpointRef ref;
  private final Precision precision;
  private JavaFutureAction<Void> job;
  private Broadcast<?> weights;
  private PersistentTaskEndpoint.Round pending;
  private long firstStep;
  private long stepForErrors;

  private PersistentTasks(JavaSparkContext sc, int partitions, int depth, Precision precision) {
    this.sc = sc;
    this.rpcEnv = sc.sc().env().rpcEnv();
    this.name = "sparkbackprop-persistent-tasks-" + IDS.incrementAndGet();
    this.endpoint = new PersistentTaskEndpoint(rpcEnv, partitions, depth);
    this.ref = rpcEnv.setupEndpoint(name, endpoint);
    this.precision = precision;
  }

  /**
   * Registers the endpoint, which adds the sums as a {@code treeAggregate} of {@code depth} would
   * ({@link OrderedAggregate#combine}), after checking that Spark can run a task for every one of
   * {@code partitions} at once (waiting up to a minute for executors to register).
   *
   * @throws InvalidConfigException when it cannot
   */
  static PersistentTasks open(JavaSparkContext sc, int partitions, int depth, Precision precision) {
    SparkContext spark = sc.sc();
    if (spark.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new InvalidConfigException("training.exchange = persistentTasks runs barrier jobs, which"
          + " Spark does not allow with spark.dynamicAllocation.enabled = true; use training.exchange"
          + " = treeAggregate");
    }
    // Executors of a cluster may still be registering; an embedded master has its slots at once.
    long deadline = System.currentTimeMillis() + (spark.isLocal() ? 0 : SLOT_WAIT_MILLIS);
    int slots = slots(spark);
    while (slots < partitions && System.currentTimeMillis() < deadline) {
      sleep(500);
      slots = slots(spark);
    }
    if (slots < partitions) {
      throw new InvalidConfigException("training.exchange = persistentTasks needs a task slot for"
          + " each of the " + partitions + " training partitions at once, but Spark offers " + slots
          + "; set training.partitions to at most " + slots + ", add executors, or use"
          + " training.exchange = treeAggregate");
    }
    return new PersistentTasks(sc, partitions, depth, precision);
  }

  private static int slots(SparkContext spark) {
    return spark.maxNumConcurrentTasks(spark.resourceProfileManager().defaultResourceProfile());
  }

  /** Starts the barrier job of one epoch from {@code params}; it runs until {@link #finishEpoch}. */
  void startEpoch(BlockedDataset train, FeedForward net, double[] params, long seed, int epoch,
      int steps, long firstGlobalStep, FaultInjection faults) {
    weights = sc.broadcast(weightsToSend(params));
    PersistentTaskStep task = new PersistentTaskStep(name, net, weights, seed, epoch, steps,
        firstGlobalStep, faults);
    ClassTag<Object> any = ClassTag$.MODULE$.Any();
    RDD<Object> tasks = train.blocks().rdd().barrier().mapPartitions(task, false, any);
    pending = null;
    firstStep = firstGlobalStep;
    stepForErrors = firstGlobalStep;
    // Before the job starts: its first sums may arrive before submitAsync returns.
    endpoint.open();
    // The tasks output nothing; the shuffle after them makes theirs a ShuffleMapStage, which Spark
    // runs again as a whole when a task or an executor is lost (a barrier ResultStage it does not).
    job = new JavaRDD<>(tasks, any).repartition(1).foreachPartitionAsync(it -> { });
  }

  /**
   * Replies the weights {@code params} to the previous step's tasks (if any), then waits for the
   * next step's sum over all partitions.
   *
   * @return the sum, or null when Spark restarted the tasks: they begin the epoch again
   * @throws StepFailedException when the job failed for good
   */
  GradientSum nextSum(double[] params) {
    replyPending(params);
    Object item = take();
    if (item == PersistentTaskEndpoint.RESTARTED) {
      stepForErrors = firstStep;
      return null;
    }
    if (item instanceof RuntimeException e) {
      throw e;
    }
    pending = (PersistentTaskEndpoint.Round) item;
    stepForErrors++;
    return pending.sum();
  }

  /**
   * Replies the final weights and waits for the epoch's job to end.
   *
   * @return false when Spark restarted the tasks instead, so the epoch must be repeated
   */
  boolean finishEpoch(double[] params) {
    replyPending(params);
    while (true) {
      Object item = endpoint.rounds.poll();
      if (item == PersistentTaskEndpoint.RESTARTED) {
        return false;
      }
      if (item != null) {
        throw new IllegalStateException("persistent tasks sent a step after the epoch's last");
      }
      if (job.isDone()) {
        endpoint.shut();
        jobOutcome();
        weights.destroy();
        weights = null;
        job = null;
        return true;
      }
      sleep(1);
    }
  }

  private void replyPending(double[] params) {
    if (pending != null) {
      Object w = weightsToSend(params);
      for (RpcCallContext c : pending.callers()) {
        c.reply(w);
      }
      pending = null;
    }
  }

  /**
   * The weights as the tasks compute with them: float32 or a float64 copy (the optimizer goes on
   * writing into {@code params}, which an embedded task would otherwise share).
   */
  private Object weightsToSend(double[] params) {
    return precision == Precision.FLOAT32 ? Precision.toFloat(params) : params.clone();
  }

  private Object take() {
    while (true) {
      try {
        Object item = endpoint.rounds.poll(100, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training", e);
      }
      if (job.isDone()) {
        jobOutcome();
        throw new IllegalStateException("the persistent tasks ended before the epoch's last step");
      }
    }
  }

  /** Throws the job's failure as a {@link StepFailedException}; returns when it succeeded. */
  private void jobOutcome() {
    try {
      job.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BarrierJobUnsupportedRDDChainException) {
        throw new InvalidConfigException("training.exchange = persistentTasks: Spark cannot run the"
            + " training partitions as one barrier stage, because they come straight from a union or"
            + " coalesce of inputs with other partition counts; set training.partitions to"
            + " repartition them, or use training.exchange = treeAggregate");
      }
      if (e.getCause() instanceof SparkException failed) {
        throw new StepFailedException(stepForErrors + 1, describe(failed, endpoint.lastTaskFailure()));
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    }
  }

  /**
   * Spark's message for a failed barrier stage names no cause, so the tasks report theirs:
   * e.g. "persistent tasks failed 4 times, last in partition 0: java.lang.IllegalStateException: boom".
   */
  static SparkException describe(SparkException failed, String lastTaskFailure) {
    if (lastTaskFailure == null) {
      return failed;
    }
    Matcher m = STAGE_ATTEMPTS.matcher(String.valueOf(failed.getMessage()));
    String times = m.find() ? m.group(1) + " times" : "";
    SparkException described = new SparkException("persistent tasks failed " + times + ", last in "
        + lastTaskFailure);
    described.addSuppressed(failed);
    return described;
  }

  /** Cancels a running epoch job (after a divergence or a failure) and removes the endpoint. */
  @Override
  public void close() {
    if (job != null && !job.isDone()) {
      job.cancel(true);
    }
    if (weights != null) {
      weights.destroy();
    }
    rpcEnv.stop(ref);
  }


  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    }
  }

}
