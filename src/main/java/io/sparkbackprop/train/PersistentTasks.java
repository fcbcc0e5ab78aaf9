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
 * partition. A failed or lost task fails the whole job (Spark does not retry a barrier result
 * stage); this class then submits the epoch again as a new job, from the epoch's broadcast
 * weights, up to {@code spark.stage.maxConsecutiveAttempts} jobs per epoch. {@link #nextSum}
 * returns null when it did, and the trainer goes back to the state it had at the epoch's start.
 * Retrying whole jobs here, rather than letting Spark retry the barrier stage, is what makes a
 * retry start: when a barrier shuffle-map stage fails on a FetchFailed, Spark resubmits it without
 * killing its other tasks (the TODO "SPARK-17064" in its DAGScheduler), so those kept waiting here
 * for weights, holding the slots the retry needed, and a first version waited forever. A barrier
 * result stage that fails aborts its job, and aborting kills the job's tasks.
 *
 * <p>Uses Spark's internal RPC classes ({@code org.apache.spark.rpc}, public in the bytecode but
 * not a stable API), which is why it is tied to the Spark version in the pom.
 */
final class PersistentTasks implements AutoCloseable {
  /** How long to wait for executors to offer a slot for every partition. */
  private static final long SLOT_WAIT_MILLIS = 60_000;
  /** How long a failed job's tasks get to report why they failed, if they have not yet. */
  private static final long REPORT_WAIT_MILLIS = 1_000;
  private static final AtomicLong IDS = new AtomicLong();
  private static final String MOST_RECENT = "Most recent failure reason: ";
  /** How Spark's reason for a failed barrier stage begins when a task of it failed. */
  private static final Pattern BARRIER_TASK = Pattern.compile(
      "Stage failed because barrier task \\w+\\(\\d+, (\\d+)\\) finished unsuccessfully\\.");

  private final JavaSparkContext sc;
  private final RpcEnv rpcEnv;
  private final String name;
  private final PersistentTaskEndpoint endpoint;
  private final RpcEndpointRef ref;
  private final Precision precision;
  private final int partitions;
  /** Jobs per epoch before the failure is final: Spark's limit of attempts for a stage. */
  private final int maxAttempts;
  private int jobs;
  private Epoch epoch;
  private JavaFutureAction<Void> job;
  private int attempt;
  private String lastFailure;
  private PersistentTaskEndpoint.Round pending;
  private long stepForErrors;

  /** What an epoch's jobs are made of, kept to submit the epoch again after a failure. */
  private record Epoch(BlockedDataset train, FeedForward net, Broadcast<?> weights, long seed,
      int index, int steps, long firstGlobalStep, FaultInjection faults) {
  }

  private PersistentTasks(JavaSparkContext sc, int partitions, int depth, Precision precision) {
    this.sc = sc;
    this.rpcEnv = sc.sc().env().rpcEnv();
    this.name = "sparkbackprop-persistent-tasks-" + IDS.incrementAndGet();
    this.endpoint = new PersistentTaskEndpoint(rpcEnv, partitions, depth);
    this.ref = rpcEnv.setupEndpoint(name, endpoint);
    this.precision = precision;
    this.partitions = partitions;
    this.maxAttempts = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
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
    int slots = awaitSlots(spark, partitions);
    if (slots < partitions) {
      throw new InvalidConfigException("training.exchange = persistentTasks needs a task slot for"
          + " each of the " + partitions + " training partitions at once, but Spark offers " + slots
          + "; set training.partitions to at most " + slots + ", add executors, or use"
          + " training.exchange = treeAggregate");
    }
    return new PersistentTasks(sc, partitions, depth, precision);
  }

  /**
   * Spark's task slots once there are {@code partitions} of them, or after a minute; executors of a
   * cluster may still be registering (or replacing a lost one), an embedded master has its slots
   * at once.
   */
  private static int awaitSlots(SparkContext spark, int partitions) {
    long deadline = System.currentTimeMillis() + (spark.isLocal() ? 0 : SLOT_WAIT_MILLIS);
    int slots = slots(spark);
    while (slots < partitions && System.currentTimeMillis() < deadline) {
      sleep(500);
      slots = slots(spark);
    }
    return slots;
  }

  private static int slots(SparkContext spark) {
    return spark.maxNumConcurrentTasks(spark.resourceProfileManager().defaultResourceProfile());
  }

  /** Starts the barrier job of one epoch from {@code params}; it runs until {@link #finishEpoch}. */
  void startEpoch(BlockedDataset train, FeedForward net, double[] params, long seed, int index,
      int steps, long firstGlobalStep, FaultInjection faults) {
    epoch = new Epoch(train, net, sc.broadcast(weightsToSend(params)), seed, index, steps,
        firstGlobalStep, faults);
    attempt = 0;
    lastFailure = null;
    submit();
  }

  /** Submits the epoch's job (again, after a failure): all its tasks start from the epoch's start. */
  private void submit() {
    int number = ++jobs;
    PersistentTaskStep task = new PersistentTaskStep(name, number, attempt, epoch.net(),
        epoch.weights(), epoch.seed(), epoch.index(), epoch.steps(), epoch.firstGlobalStep(),
        epoch.faults());
    ClassTag<Object> any = ClassTag$.MODULE$.Any();
    RDD<Object> tasks = epoch.train().blocks().rdd().barrier().mapPartitions(task, false, any);
    pending = null;
    stepForErrors = epoch.firstGlobalStep();
    // A job submitted while an executor is missing (lost during the evaluation between two epochs,
    // or in the failed job) would wait 15 s in Spark's own slot check before it is tried again.
    awaitSlots(sc.sc(), partitions);
    // Before the job starts: its first sums may arrive before submitAsync returns.
    endpoint.open(number);
    job = new JavaRDD<>(tasks, any).foreachPartitionAsync(it -> { });
  }

  /**
   * Replies the weights {@code params} to the previous step's tasks (if any), then waits for the
   * next step's sum over all partitions.
   *
   * @return the sum, or null when the job failed and was submitted again: the epoch starts over
   * @throws StepFailedException when the epoch's last allowed job failed
   */
  GradientSum nextSum(double[] params) {
    replyPending(params);
    while (true) {
      Object item = poll(100);
      if (item instanceof RuntimeException e) {
        throw e;
      }
      if (item != null) {
        pending = (PersistentTaskEndpoint.Round) item;
        stepForErrors++;
        return pending.sum();
      }
      if (job.isDone()) {
        if (succeeded()) {
          throw new IllegalStateException("the persistent tasks ended before the epoch's last step");
        }
        submit();
        return null;
      }
    }
  }

  /**
   * Replies the final weights and waits for the epoch's job to end.
   *
   * @return false when the job failed and was submitted again, so the epoch must be repeated
   * @throws StepFailedException when the epoch's last allowed job failed
   */
  boolean finishEpoch(double[] params) {
    replyPending(params);
    while (!job.isDone()) {
      if (poll(1) != null) {
        throw new IllegalStateException("persistent tasks sent a step after the epoch's last");
      }
    }
    if (!succeeded()) {
      submit();
      return false;
    }
    endpoint.shut();
    epoch.weights().destroy();
    epoch = null;
    job = null;
    return true;
  }

  /**
   * Why the epoch's previous job failed, and which attempt the new one is: "attempt 2 of 4 after
   * partition 0: java.lang.IllegalStateException: boom".
   */
  String restartReason() {
    return "attempt " + (attempt + 1) + " of " + maxAttempts + " after " + lastFailure;
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

  private Object poll(long millis) {
    try {
      return endpoint.rounds.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    }
  }

  /**
   * The outcome of the ended job: true when it succeeded; false when it failed and the epoch may
   * be tried again (the failure is recorded for {@link #restartReason}).
   *
   * @throws StepFailedException when it failed and no attempt is left, or it was cancelled
   */
  private boolean succeeded() {
    try {
      job.get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BarrierJobUnsupportedRDDChainException) {
        throw new InvalidConfigException("training.exchange = persistentTasks: Spark cannot run the"
            + " training partitions as one barrier stage, because they come straight from a union or"
            + " coalesce of inputs with other partition counts; set training.partitions to"
            + " repartition them, or use training.exchange = treeAggregate");
      }
      if (!(e.getCause() instanceof SparkException failed)) {
        throw new IllegalStateException(e.getCause());
      }
      if ("SPARK_JOB_CANCELLED".equals(failed.getCondition()) || sc.sc().isStopped()) {
        // Cancelled on purpose (the Spark UI's kill, a job group), not failed: not retried.
        throw new StepFailedException(stepForErrors + 1, failed);
      }
      lastFailure = describe(failed, awaitTaskFailure());
      if (++attempt >= maxAttempts) {
        SparkException described = new SparkException("persistent tasks failed " + attempt
            + " times, last in " + lastFailure);
        described.addSuppressed(failed);
        throw new StepFailedException(stepForErrors + 1, described);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    }
  }

  /** The failure a task of the current job reported, waiting a little for it to arrive; or null. */
  private String awaitTaskFailure() {
    long deadline = System.currentTimeMillis() + REPORT_WAIT_MILLIS;
    String failure = endpoint.lastTaskFailure();
    while (failure == null && System.currentTimeMillis() < deadline) {
      sleep(10);
      failure = endpoint.lastTaskFailure();
    }
    return failure;
  }

  /**
   * Where and why the job failed: the failure a task reported ("partition 0: java.lang.…: boom"),
   * or, when none could (its executor was lost, or reading its block failed before it started),
   * the first line of the reason in Spark's message, with the partition when Spark names it:
   * "partition 1: ExecutorLostFailure (executor 1 exited …) Reason: Command exited with code 137".
   */
  static String describe(SparkException failed, String taskFailure) {
    if (taskFailure != null) {
      return taskFailure;
    }
    String message = String.valueOf(failed.getMessage());
    int at = message.indexOf(MOST_RECENT);
    String reason = at < 0 ? message : message.substring(at + MOST_RECENT.length());
    Matcher task = BARRIER_TASK.matcher(reason);
    String where = task.lookingAt() ? "partition " + task.group(1) + ": " : "";
    return where + reason.lines().skip(task.lookingAt() ? 1 : 0)
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .findFirst().orElse(message.lines().findFirst().orElse("")).strip();
  }

  /** Cancels a running epoch job (after a divergence or a failure) and removes the endpoint. */
  @Override
  public void close() {
    if (job != null && !job.isDone()) {
      job.cancel(true);
    }
    if (epoch != null) {
      epoch.weights().destroy();
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
