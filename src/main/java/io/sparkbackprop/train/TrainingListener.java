package io.sparkbackprop.train;

/** Receives progress from the {@link Trainer} on the driver. */
public interface TrainingListener {
  void onEpoch(EpochStats stats);

  TrainingListener NONE = stats -> { };
}
