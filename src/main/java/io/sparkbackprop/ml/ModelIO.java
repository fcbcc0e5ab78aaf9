package io.sparkbackprop.ml;

import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.train.HadoopModelStore;
import io.sparkbackprop.train.RunFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * How the fitted models persist: Spark ML's params metadata under {@code path/metadata} (as every
 * Spark ML stage, so a {@code PipelineModel} or {@code CrossValidatorModel} holding the model saves
 * and loads it) and the project's model directory under {@code path/data}: {@code model.json},
 * {@code weights.safetensors}, {@code history.jsonl} and {@code metrics.json}, exactly what
 * {@code jobs/train.sh} writes, so {@code jobs/predict.sh --model path/data} scores it.
 */
final class ModelIO {
  /** The model directory's name inside a saved model's path. */
  static final String DATA = "data";

  private ModelIO() {
  }

  /** The model directory of a model saved at {@code path}. */
  static String dataDir(String path) {
    return new Path(path, DATA).toString();
  }

  static ModelStore store(SparkSession spark) {
    return new HadoopModelStore(spark.sparkContext().hadoopConfiguration());
  }

  /** What {@link #load} read. {@code summary} is null when the directory has no history files. */
  record Loaded(DefaultParamsReader.Metadata metadata, SavedModel model, TrainingSummary summary) {
  }

  static Loaded load(SparkSession spark, String path, String className) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, className);
    ModelStore store = store(spark);
    String dir = dataDir(path);
    try {
      return new Loaded(metadata, ModelCodec.decode(store, dir), readSummary(store, dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model directory " + dir + ": " + e.getMessage(), e);
    }
  }

  static TrainingSummary readSummary(ModelStore store, String dir) throws IOException {
    return TrainingSummary.fromFiles(readIfPresent(store, dir, RunFiles.HISTORY),
        readIfPresent(store, dir, RunFiles.METRICS));
  }

  private static byte[] readIfPresent(ModelStore store, String dir, String file) throws IOException {
    try {
      return store.read(dir, file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Writes a fitted model; Spark's {@link MLWriter#save} has handled overwrite before this runs. */
  static final class Writer extends MLWriter {
    private final Params instance;
    private final SavedModel model;
    private final TrainingSummary summary;

    Writer(Params instance, SavedModel model, TrainingSummary summary) {
      this.instance = instance;
      this.model = model;
      this.summary = summary;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      Map<String, byte[]> files = new LinkedHashMap<>(ModelCodec.encode(model));
      if (summary != null) {
        files.putAll(summary.files());
      }
      try {
        store(sparkSession()).writeDirectory(dataDir(path), files, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the model directory " + dataDir(path) + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** A model class's constructor. */
  interface Factory<M extends Params> {
    M create(String uid, SavedModel model, TrainingSummary summary);
  }

  /**
   * A model directory (of {@code jobs/train.sh}, or {@code path/data} of a saved model) read with
   * the active session. A model whose features are a vector column reads that column.
   */
  static <M extends Params> M fromModelDirectory(String dir, Factory<M> factory, String uidPrefix) {
    SparkSession spark = SparkSession.active();
    ModelStore store = store(spark);
    M m;
    try {
      SavedModel saved = ModelCodec.decode(store, dir);
      m = factory.create(Identifiable.randomUID(uidPrefix), saved, readSummary(store, dir));
      if (saved.features() != null && saved.features().isVector()) {
        m.set("featuresCol", saved.features().vectorColumn());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model directory " + dir + ": " + e.getMessage(), e);
    }
    return m;
  }

  /** Reads what {@link Writer} wrote; found by Spark through the model class's static {@code read()}. */
  static final class Reader<M extends Params> extends MLReader<M> {
    private final Class<M> type;
    private final Factory<M> factory;

    Reader(Class<M> type, Factory<M> factory) {
      this.type = type;
      this.factory = factory;
    }

    @Override
    public M load(String path) {
      Loaded loaded = ModelIO.load(sparkSession(), path, type.getName());
      M m = factory.create(loaded.metadata().uid(), loaded.model(), loaded.summary());
      loaded.metadata().getAndSetParams(m, Option.empty());
      return m;
    }
  }
}
