package io.sparkbackprop.train;

import io.sparkbackprop.config.GradientExchange;
import io.sparkbackprop.config.ScheduleSettings;
import io.sparkbackprop.config.TrainingSettings;
import io.sparkbackprop.data.BlockedDataset;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.GradientClipping;
import io.sparkbackprop.optim.LearningRateSchedule;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The data-parallel training loop, run on the driver. One step:
 * <ol>
 *   <li>broadcast the current weights;
 *   <li>every partition runs forward and backward on its shard of the global mini-batch
 *       ({@link ShardSampler}) and returns {@code (gradient sum, loss sum, row count)};
 *   <li>the sums are combined with a {@code treeAggregate} that adds them in partition order
 *       ({@link OrderedAggregate});
 *   <li>the driver divides once (reduction mean), clips, and applies the optimizer.
 * </ol>
 * Same seed, data and partitioning give the same model. With {@code training.exchange =
 * persistentTasks} steps 1–3 run in tasks that stay alive for the whole epoch
 * ({@link PersistentTasks}); step 4 is unchanged.
 */
public final class Trainer {
  private final FeedForward net;
  private final OptimizerSpec optimizerSpec;
  private final ScheduleSettings schedule;
  private final TrainingSettings settings;

  public Trainer(FeedForward net, OptimizerSpec optimizerSpec, ScheduleSettings schedule,
      TrainingSettings settings) {
    this.net = net;
    this.optimizerSpec = optimizerSpec;
    this.schedule = schedule;
    this.settings = settings;
  }

  /**
   * Trains from {@code initialParams} (not modified).
   *
   * @param validation evaluated after every epoch; may be null
   */
  public TrainingResult fit(JavaSparkContext sc, BlockedDataset train, BlockedDataset validation,
      double[] initialParams, TrainingListener listener) {
    return fit(sc, train, validation, initialState(initialParams), listener, CheckpointSink.NONE);
  }

  /** The state before the first epoch: the given weights and a fresh optimizer state. */
  public TrainerState initialState(double[] initialParams) {
    if (initialParams.length != net.layout().size()) {
      throw new IllegalArgumentException("expected " + net.layout().size() + " parameters, got "
          + initialParams.length);
    }
    return TrainerState.fresh(initialParams.clone(), Optimizer.create(optimizerSpec)
        .init(initialParams.length), settings.earlyStopping() != null);
  }

  /**
   * Trains from {@code start} (a fresh state or a checkpoint) to the configured number of epochs,
   * handing the state to {@code checkpoints} every {@code checkpoint.everyEpochs} epochs.
   */
  public TrainingResult fit(JavaSparkContext sc, BlockedDataset train, BlockedDataset validation,
      TrainerState start, TrainingListener listener, CheckpointSink checkpoints) {
    int steps = ShardSampler.stepsPerEpoch(train.totalRows(), settings.batchSize());
    int epochs = settings.epochs();
    LearningRateSchedule rates = Schedules.forRun(schedule, optimizerSpec.learningRate(), steps,
        epochs).create();
    Optimizer optimizer = Optimizer.create(optimizerSpec);
    OptimizerState state = start.optimizerState().copy();
    double[] params = start.params().clone();
    List<EpochStats> history = new ArrayList<>(start.history());
    EarlyStopping early = settings.earlyStopping() == null ? null
        : new EarlyStopping(settings.earlyStopping(), start.early());
    long globalStep = start.globalStep();
    long started = System.nanoTime();
    double elapsedBefore = start.elapsedSeconds();
    String stopReason = null;
    FaultInjection faults = FaultInjection.fromConf(sc.getConf());
    if (early != null && early.state().epochsWithoutImprovement() >= settings.earlyStopping().patience()) {
      stopReason = early.reason(start.epochsDone());   // resumed from a run that had already stopped
    }
    PersistentTasks persistent = settings.exchange() == GradientExchange.PERSISTENT_TASKS
        ? PersistentTasks.open(sc, train.blocks().getNumPartitions(),
            settings.aggregationDepth(), settings.precision()) : null;
    try {
      for (int epoch = start.epochsDone(); epoch < epochs && stopReason == null; epoch++) {
        long epochStarted = System.nanoTime();
        double epochLoss = 0;
        long epochRows = 0;
        // Persistent tasks whose job failed begin the epoch again: the driver goes back with them.
        double[] epochParams = persistent == null ? null : params.clone();
        OptimizerState epochState = persistent == null ? null : state.copy();
        long epochStep = globalStep;
        if (persistent != null) {
          sc.setJobDescription("spark-backprop: epoch " + (epoch + 1) + "/" + epochs + ", " + steps
              + " steps in persistent tasks");
          persistent.startEpoch(train, net, params, settings.seed(), epoch, steps, globalStep, faults);
        }
        boolean epochDone = false;
        while (!epochDone) {
          boolean restarted = false;
          for (int t = 0; t < steps; t++) {
            GradientSum sum;
            if (persistent == null) {
              sc.setJobDescription("spark-backprop: epoch " + (epoch + 1) + "/" + epochs + ", step "
                  + (t + 1) + "/" + steps);
              sum = aggregate(sc, train, params, epoch, t, steps, globalStep + 1,
                  faults == null ? null : faults.at(globalStep + 1));
            } else {
              sum = persistent.nextSum(params);
              if (sum == null) {
                restarted = true;
                break;
              }
            }
            if (sum.count() == 0) {
              continue;   // every partition's shard of this step is empty (tiny partitions)
            }
            double objective = net.objective(sum.lossSum(), sum.count());
            double[] grad = sum.objectiveGradient(net.reduction());
            checkFinite(objective, grad, epoch, t, globalStep);
            if (settings.clipNorm() > 0) {
              GradientClipping.clipByGlobalNorm(grad, settings.clipNorm());
            }
            optimizer.step(params, grad, state, rates.rate(globalStep));
            globalStep++;
            epochLoss += sum.lossSum();
            epochRows += sum.count();
          }
          epochDone = persistent == null || (!restarted && persistent.finishEpoch(params));
          if (!epochDone) {
            System.arraycopy(epochParams, 0, params, 0, params.length);
            state = epochState.copy();
            globalStep = epochStep;
            epochLoss = 0;
            epochRows = 0;
            listener.onMessage("the persistent tasks of epoch " + (epoch + 1) + " failed; repeating"
                + " the epoch from its start, " + persistent.restartReason());
          }
        }
        double trainLoss = net.reduction() == Reduction.MEAN ? epochLoss / epochRows : epochLoss / steps;
        Metrics validationMetrics = validation == null ? null
            : Evaluator.evaluate(sc, net, params, validation, settings.aggregationDepth());
        double epochSeconds = (System.nanoTime() - epochStarted) / 1e9;
        EpochStats stats = new EpochStats(epoch + 1, epochs, globalStep,
            elapsedBefore + (System.nanoTime() - started) / 1e9, trainLoss, epochRows / epochSeconds,
            validationMetrics);
        history.add(stats);
        listener.onEpoch(stats);
        if (early != null && validationMetrics != null && early.update(epoch + 1, validationMetrics, params)) {
          stopReason = early.reason(epoch + 1);
        }
        int every = settings.checkpoint().everyEpochs();
        if (every > 0 && ((epoch + 1) % every == 0 || epoch + 1 == epochs || stopReason != null)) {
          checkpoints.save(new TrainerState(epoch + 1, globalStep, params.clone(), state.copy(),
              history, early == null ? null : early.state()));
        }
      }
    } finally {
      if (persistent != null) {
        persistent.close();
      }
    }
    sc.setJobDescription(null);
    if (early != null && early.state().bestParams() != null) {
      // The best epoch's weights, whether training stopped early or ran to the end.
      params = early.state().bestParams().clone();
    }
    return new TrainingResult(params, state, List.copyOf(history), steps, stopReason);
  }

  /**
   * One step's {@code (gradient sum, loss sum, count)}; a Spark job failure (a task that failed
   * {@code spark.task.maxFailures} times) becomes a {@link StepFailedException} naming the step.
   */
  private GradientSum aggregate(JavaSparkContext sc, BlockedDataset train, double[] params,
      int epoch, int step, int steps, long globalStep, FaultInjection fault) {
    // A copy, so the optimizer never writes into an array a local-mode task might still read.
    // Float32 runs broadcast the weights rounded to float32 (half the bytes); the float64 master
    // copy stays here with the optimizer.
    Broadcast<?> weights;
    ShardGradient seqOp;
    if (settings.precision() == Precision.FLOAT32) {
      Broadcast<float[]> w = sc.broadcast(Precision.toFloat(params));
      seqOp = ShardGradient.float32(net, w, settings.seed(), epoch, step, steps);
      weights = w;
    } else {
      Broadcast<double[]> w = sc.broadcast(params.clone());
      seqOp = new ShardGradient(net, w, settings.seed(), epoch, step, steps);
      weights = w;
    }
    try {
      return OrderedAggregate.aggregate(train.blocks(), GradientSum::new, seqOp.injecting(fault),
          GradientSum::merge, settings.aggregationDepth());
    } catch (Exception e) {   // Scala code throws the checked SparkException undeclared
      if (e instanceof SparkException failed) {
        throw new StepFailedException(globalStep, failed);
      }
      throw e;
    } finally {
      weights.destroy();
    }
  }

  private static void checkFinite(double objective, double[] grad, int epoch, int step, long globalStep) {
    String what = null;
    if (!Double.isFinite(objective)) {
      what = "the loss is " + objective;
    } else {
      for (double g : grad) {
        if (!Double.isFinite(g)) {
          what = "the gradient has a " + g + " entry";
          break;
        }
      }
    }
    if (what != null) {
      throw new DivergedException("training diverged at epoch " + (epoch + 1) + " step " + (step + 1)
          + " (global step " + (globalStep + 1) + "): " + what
          + "; lower optimizer.learningRate or set optimizer.clipNorm");
    }
  }
}
