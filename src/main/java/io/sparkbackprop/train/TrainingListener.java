package io.sparkbackprop.train;

/** Receives progress from the {@link Trainer} on the driver. */
public interface TrainingListener {
  void onEpoch(EpochStats stats);

  /** A one-line event worth telling the user (resume, early stop). */
  default void onMessage(String message) {
  }

  TrainingListener NONE = stats -> { };
}
