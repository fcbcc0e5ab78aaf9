package io.sparkbackprop.ml;

import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.data.TrainingData;
import io.sparkbackprop.train.EpochStats;
import io.sparkbackprop.train.TrainRun;
import io.sparkbackprop.train.TrainingListener;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the estimators' {@code train} methods share: the data and the one training engine. */
final class Training {
  private static final Logger LOG = LoggerFactory.getLogger(Training.class);

  private Training() {
  }

  /** Packs {@code dataset} as {@code jobs/train.sh} packs its files and runs {@link TrainRun}. */
  static TrainRun.Outcome run(Dataset<?> dataset, TrainConfig config, String uid) {
    Dataset<Row> df = dataset.toDF();
    TrainingData data = TrainingData.fromDataFrames(df, null, config.data(), TrainRun.labelKind(config),
        config.training().partitions(), config.training().seed(), null,
        uid + ": training rows", uid + ": validation rows");
    LOG.info("{}: training on {} rows in {} partitions{}", uid, data.train().totalRows(),
        data.train().rowsPerPartition().length,
        data.validation() == null ? "" : ", validating on " + data.validation().totalRows() + " rows");
    return TrainRun.run(df.sparkSession(), config, data, null, null, new LogListener(uid), null, false);
  }

  /**
   * The class names of a label column with nominal metadata (as StringIndexer writes it), when
   * they number {@code classes}; else null. Saved in the model, so {@code jobs/predict.sh} can write
   * them as {@code predictedLabel}.
   */
  static List<String> classNames(StructField label, int classes) {
    Attribute a = Attribute.fromStructField(label);
    String[] names = null;
    if (a instanceof NominalAttribute n && n.values().isDefined()) {
      names = n.values().get();
    } else if (a instanceof BinaryAttribute b && b.values().isDefined()) {
      names = b.values().get();
    }
    return names == null || names.length != classes ? null : Arrays.asList(names);
  }

  /** One log line per epoch, like the train job's progress line. */
  private record LogListener(String uid) implements TrainingListener {
    @Override
    public void onEpoch(EpochStats s) {
      if (LOG.isInfoEnabled()) {
        LOG.info(String.format(Locale.ROOT, "%s: epoch %d/%d  step %d  loss %.4f%s  elapsed %.1fs", uid,
            s.epoch(), s.epochs(), s.step(), s.trainLoss(), s.validation() == null ? ""
                : String.format(Locale.ROOT, "  val_loss %.4f", s.validation().loss()), s.elapsedSeconds()));
      }
    }

    @Override
    public void onMessage(String message) {
      LOG.info("{}: {}", uid, message);
    }
  }
}
