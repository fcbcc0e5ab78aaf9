package io.sparkbackprop.model;

import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a model directory holds: the architecture, what it was trained for, how its inputs
 * are found and scaled, where it came from, and its parameters. Immutable; build one with
 * {@link #builder}. The consistency checks throw {@link IllegalArgumentException} naming the field.
 *
 * @param formatVersion the model.json version this was read from (a save always writes
 *     {@link #FORMAT_VERSION})
 * @param loss the training loss, or null (minimal hand-written files have none)
 * @param reduction the loss reduction, or null
 * @param task {@link #CLASSIFICATION}, {@link #REGRESSION} or null
 * @param labels class names, index = class index, or null; one per output unit, or two for a
 *     single sigmoid unit
 * @param features the input columns, or null; its size equals {@code network.inputSize()}
 * @param preprocessing input standardisation, or null; its size equals {@code network.inputSize()}
 * @param provenance free-form JSON object (config, seed, data fingerprint, versions, time,
 *     metrics), never null; held as the types a JSON parse gives so it survives a save and a load
 * @param parameters flat, in {@link io.sparkbackprop.nn.ParameterLayout} order:
 *     {@code layers.0.weight} (out, in) row-major, {@code layers.0.bias} (out) if present, ...
 * @param dtype how the weights file stores the parameters; F32 rounds them
 */
public record SavedModel(int formatVersion, NetworkSpec network, LossType loss, Reduction reduction,
    String task, List<String> labels, Features features, Preprocessing preprocessing,
    Map<String, Object> provenance, double[] parameters, Dtype dtype) implements java.io.Serializable {

  /** The model.json format version this build writes, and the newest it reads. */
  public static final int FORMAT_VERSION = 1;
  public static final String CLASSIFICATION = "classification";
  public static final String REGRESSION = "regression";

  public SavedModel {
    if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException("formatVersion must be in 1.." + FORMAT_VERSION + ", was " + formatVersion);
    }
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(dtype, "dtype");
    if (loss != null && loss.incompatibility(network.outputLayer()) != null) {
      throw new IllegalArgumentException(loss.incompatibility(network.outputLayer()));
    }
    if (task != null && !task.equals(CLASSIFICATION) && !task.equals(REGRESSION)) {
      throw new IllegalArgumentException("task must be '" + CLASSIFICATION + "' or '" + REGRESSION
          + "', was '" + task + "'");
    }
    if (labels != null) {
      labels = checkLabels(labels, network.outputSize());
    }
    if (features != null && features.size() != network.inputSize()) {
      throw new IllegalArgumentException("features.size is " + features.size() + " but inputSize is "
          + network.inputSize());
    }
    if (preprocessing != null && preprocessing.size() != network.inputSize()) {
      throw new IllegalArgumentException("preprocessing has " + preprocessing.size()
          + " features but inputSize is " + network.inputSize());
    }
    provenance = Collections.unmodifiableMap(Json.normalize(provenance == null ? Map.of() : provenance));
    int expected = network.numParameters();
    if (parameters.length != expected) {
      throw new IllegalArgumentException("parameters has " + parameters.length + " values, the network needs "
          + expected);
    }
    parameters = parameters.clone();
  }

  private static List<String> checkLabels(List<String> labels, int outputs) {
    int expected = outputs == 1 ? 2 : outputs;
    if (labels.size() != expected) {
      throw new IllegalArgumentException("labels has " + labels.size() + " names, expected " + expected
          + (outputs == 1 ? " for a single output unit (classes 0 and 1)" : ", one per output unit"));
    }
    for (String l : labels) {
      if (l == null) {
        throw new IllegalArgumentException("labels must be strings, was " + labels);
      }
    }
    return List.copyOf(labels);
  }

  /** A builder with the required parts; everything else starts absent, dtype F64. */
  public static Builder builder(NetworkSpec network, double[] parameters) {
    return new Builder(network, parameters);
  }

  /** A builder holding this model's values, to change a few of them. */
  public Builder toBuilder() {
    return new Builder(network, parameters).formatVersion(formatVersion).loss(loss, reduction).task(task)
        .labels(labels).features(features).preprocessing(preprocessing).provenance(provenance).dtype(dtype);
  }

  /** A copy of the parameters. */
  @Override
  public double[] parameters() {
    return parameters.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SavedModel m && formatVersion == m.formatVersion && network.equals(m.network)
        && loss == m.loss && reduction == m.reduction && Objects.equals(task, m.task)
        && Objects.equals(labels, m.labels) && Objects.equals(features, m.features)
        && Objects.equals(preprocessing, m.preprocessing) && provenance.equals(m.provenance)
        && Arrays.equals(parameters, m.parameters) && dtype == m.dtype;
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, network, loss, reduction, task, labels, features, preprocessing,
        provenance, Arrays.hashCode(parameters), dtype);
  }

  @Override
  public String toString() {
    return "SavedModel[network=" + network + ", loss=" + loss + ", task=" + task + ", "
        + parameters.length + " " + dtype + " parameters]";
  }

  /** Collects the optional parts of a {@link SavedModel}; {@link #build} runs the checks. */
  public static final class Builder {
    private final NetworkSpec network;
    private double[] parameters;
    private int formatVersion = FORMAT_VERSION;
    private LossType loss;
    private Reduction reduction;
    private String task;
    private List<String> labels;
    private Features features;
    private Preprocessing preprocessing;
    private Map<String, Object> provenance = Map.of();
    private Dtype dtype = Dtype.F64;

    private Builder(NetworkSpec network, double[] parameters) {
      this.network = network;
      this.parameters = parameters;
    }

    public Builder parameters(double[] parameters) {
      this.parameters = parameters;
      return this;
    }

    public Builder formatVersion(int formatVersion) {
      this.formatVersion = formatVersion;
      return this;
    }

    /** The loss and its reduction; either may be null. */
    public Builder loss(LossType loss, Reduction reduction) {
      this.loss = loss;
      this.reduction = reduction;
      return this;
    }

    public Builder task(String task) {
      this.task = task;
      return this;
    }

    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder features(Features features) {
      this.features = features;
      return this;
    }

    public Builder preprocessing(Preprocessing preprocessing) {
      this.preprocessing = preprocessing;
      return this;
    }

    public Builder provenance(Map<String, ?> provenance) {
      this.provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(provenance);
      return this;
    }

    public Builder dtype(Dtype dtype) {
      this.dtype = dtype;
      return this;
    }

    public SavedModel build() {
      return new SavedModel(formatVersion, network, loss, reduction, task, labels, features, preprocessing,
          provenance, parameters, dtype);
    }
  }
}
