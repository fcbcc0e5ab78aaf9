/**
 * The training configuration: HOCON (Typesafe Config) with the keys of DESIGN.md, read into
 * immutable, fully validated records by {@link io.sparkbackprop.config.ConfigLoader}. Defaults
 * live in one resource, {@code defaults.conf}; optimizer hyperparameters default per optimizer in
 * {@link io.sparkbackprop.optim.OptimizerSpec#defaults}. No Spark here: a config is checked before
 * Spark starts.
 */
package io.sparkbackprop.config;
