package io.sparkbackprop.config;

/**
 * {@code training.checkpoint}: every {@code everyEpochs} epochs the trainer saves what it needs to
 * continue exactly (weights, optimizer state, schedule position, epoch and step, early-stopping
 * state, history) under {@code dir}, keeping the newest {@code keep}.
 */
public record CheckpointSettings(String dir, int everyEpochs, int keep) {
  public boolean enabled() {
    return everyEpochs > 0;
  }
}
