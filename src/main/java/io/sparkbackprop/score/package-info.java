/**
 * Scoring and evaluating saved models on Spark DataFrames. {@link io.sparkbackprop.score.ModelScorer}
 * is the one scoring engine: the predict and evaluate jobs and the Spark ML model wrapper all call
 * it, so a model gives the same numbers whichever way it is used. It finds the model's feature
 * columns by name, applies the model's preprocessing, runs the network in batches through BLAS and
 * adds Spark ML's prediction columns. {@link io.sparkbackprop.score.Evaluation} turns scored rows
 * and a label column into metrics with Spark's own metrics classes.
 */
package io.sparkbackprop.score;
