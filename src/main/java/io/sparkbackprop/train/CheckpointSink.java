package io.sparkbackprop.train;

/** Receives the trainer's state at the end of the epochs chosen for checkpoints. */
public interface CheckpointSink {
  void save(TrainerState state);

  CheckpointSink NONE = state -> { };
}
