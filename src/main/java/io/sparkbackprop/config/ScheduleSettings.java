package io.sparkbackprop.config;

import io.sparkbackprop.optim.ScheduleType;

/**
 * The {@code optimizer.schedule} section, in epochs (users think in epochs); the trainer turns it
 * into a per-step schedule once it knows the steps per epoch.
 *
 * @param stepSize epochs between decays of a {@code step} schedule
 * @param gamma decay factor per {@code stepSize} epochs (step) or per epoch (exponential)
 * @param minLearningRate the floor of a {@code cosine} schedule
 * @param warmupEpochs epochs of linear warm-up before the schedule starts, 0 for none
 */
public record ScheduleSettings(ScheduleType type, int stepSize, double gamma,
    double minLearningRate, int warmupEpochs) {
}
