package io.sparkbackprop.score;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.model.Features;
import io.sparkbackprop.model.Preprocessing;
import io.sparkbackprop.model.SavedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores DataFrames with a {@link SavedModel}: the input's columns, in their order, plus the
 * {@link ScoreColumns}. Immutable; configure with the {@code with*} methods:
 *
 * <pre>
 *   Dataset&lt;Row&gt; scored = ModelScorer.of(model).transform(input);
 * </pre>
 *
 * <p><b>Inputs.</b> The feature columns are found by name, as {@link SavedModel#features()} lists
 * them (numeric columns of any numeric type, or one Spark ML vector column), so their order in the
 * input does not matter. A model without {@code features} (a minimal hand-written model.json) reads
 * a vector column named {@value #DEFAULT_FEATURES_COLUMN} of {@code inputSize} elements;
 * {@link #withFeatures} overrides either. A missing column, a non-numeric column or a vector column
 * of the wrong recorded size is refused by {@link #transformSchema} with a {@link DataException}
 * naming the column; a null, NaN or infinite value, or a vector of the wrong size, fails the task
 * with a DataException naming the column and the row ({@code row R of partition P}, counted from 0).
 *
 * <p><b>Preprocessing.</b> The model's standardisation {@code (x - mean) / std} is applied before
 * the network, exactly as in training; a feature with std 0 (constant in the training data) is
 * only centred, i.e. its std is taken as 1.
 *
 * <p><b>Outputs</b> (see {@link OutputKind} for which models are classifiers): {@code prediction}
 * is the class index (the trainer's rule: arg max, or p >= 0.5 for one sigmoid unit) or the
 * regression value. {@code probability} is the softmax output, {@code [1-p, p]} for one sigmoid
 * unit, or for other multi-unit outputs the outputs clipped at 0 and normalised to sum 1.
 * {@code rawPrediction} is the output layer's logits (pre-activations), {@code [-z, z]} for one
 * sigmoid unit, as Spark's MLP and logistic regression report them. The prediction column carries
 * nominal-attribute metadata with the class names, the vector columns their size.
 *
 * <p><b>Execution.</b> {@link #transform} broadcasts the weights once per call and scores each
 * partition in batches of {@link PartitionScorer#BATCH_ROWS} rows through BLAS; it is lazy like any
 * transformation. The broadcast is not destroyed explicitly (the result may be recomputed at any
 * time); Spark's ContextCleaner removes it once the result is unreachable, as with Spark ML models.
 */
public final class ModelScorer {
  /** The vector column read when the model names no features. */
  public static final String DEFAULT_FEATURES_COLUMN = "features";

  private final SavedModel model;
  private final OutputKind kind;
  private final ScoreColumns columns;
  private final Features features;
  private final String what;

  private ModelScorer(SavedModel model, ScoreColumns columns, Features features, String what) {
    this.model = Objects.requireNonNull(model, "model");
    this.kind = OutputKind.of(model);
    this.columns = Objects.requireNonNull(columns, "columns");
    this.features = features != null ? features : model.features() != null ? model.features()
        : Features.vector(DEFAULT_FEATURES_COLUMN, model.network().inputSize());
    if (this.features.size() != model.network().inputSize()) {
      throw new IllegalArgumentException("features has " + this.features.size() + " inputs, the model takes "
          + model.network().inputSize());
    }
    this.what = what;
  }

  /**
   * A scorer with the default columns and the model's features.
   *
   * @throws io.sparkbackprop.model.ModelFormatException when the model's output cannot be scored
   *     (a regression with several outputs, a one-unit classifier without sigmoid)
   */
  public static ModelScorer of(SavedModel model) {
    return new ModelScorer(model, ScoreColumns.DEFAULTS, null, "input");
  }

  /** Shorthand for {@code of(model).withColumns(columns).transform(input)}. */
  public static Dataset<Row> transform(Dataset<Row> input, SavedModel model, ScoreColumns columns) {
    return of(model).withColumns(columns).transform(input);
  }

  public ModelScorer withColumns(ScoreColumns scoreColumns) {
    return new ModelScorer(model, scoreColumns, features, what);
  }

  /** Reads the inputs from these columns instead of the model's; its size must be the model's. */
  public ModelScorer withFeatures(Features inputFeatures) {
    return new ModelScorer(model, columns, inputFeatures, what);
  }

  /** How error messages name the input, e.g. {@code --input data/test.csv}; default {@code input}. */
  public ModelScorer describedAs(String inputName) {
    return new ModelScorer(model, columns, features, inputName);
  }

  public SavedModel model() {
    return model;
  }

  /** How error messages name the input. */
  public String inputName() {
    return what;
  }

  /** Where this scorer reads the inputs. */
  public Features features() {
    return features;
  }

  public boolean isClassifier() {
    return kind.isClassifier();
  }

  /** Number of classes, 0 for a regression model. */
  public int numClasses() {
    return kind.numClasses(model.network().outputSize());
  }

  /** The model's label names, or for a classifier without them "0", "1", ...; empty for regression. */
  public List<String> classNames() {
    if (model.labels() != null && isClassifier()) {
      return model.labels();
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < numClasses(); c++) {
      names.add(String.valueOf(c));
    }
    return names;
  }

  /**
   * The schema {@link #transform} gives for input of schema {@code input}, after checking that the
   * input has the features and none of the columns to be added.
   */
  public StructType transformSchema(StructType input) {
    InputFeatures.resolve(input, features, what);
    List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
    int k = numClasses();
    if (isClassifier() && columns.rawPrediction() != null) {
      fields.add(new AttributeGroup(columns.rawPrediction(), k).toStructField());
    }
    if (isClassifier() && columns.probability() != null) {
      fields.add(new AttributeGroup(columns.probability(), k).toStructField());
    }
    if (columns.prediction() != null) {
      fields.add(isClassifier()
          ? NominalAttribute.defaultAttr().withName(columns.prediction())
              .withValues(classNames().toArray(new String[0])).toStructField()
          : DataTypes.createStructField(columns.prediction(), DataTypes.DoubleType, false));
    }
    if (hasPredictedLabel()) {
      fields.add(DataTypes.createStructField(columns.predictedLabel(), DataTypes.StringType, false));
    }
    for (int i = input.fields().length; i < fields.size(); i++) {
      String name = fields.get(i).name();
      if (Arrays.asList(input.fieldNames()).contains(name)) {
        throw new DataException(what + ": already has a column '" + name + "', which scoring adds;"
            + " rename or drop it");
      }
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** The input's rows with the score columns appended; lazy. */
  public Dataset<Row> transform(Dataset<Row> input) {
    StructType schema = transformSchema(input.schema());
    InputFeatures inputFeatures = InputFeatures.resolve(input.schema(), features, what);
    Broadcast<double[]> weights = JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext())
        .broadcast(model.parameters());
    Preprocessing pre = model.preprocessing();
    PartitionScorer scorer = new PartitionScorer(model.network(), weights, inputFeatures,
        pre == null ? null : pre.means(), pre == null ? null : pre.stds(), kind,
        hasPredictedLabel() ? model.labels().toArray(new String[0]) : null,
        columns, input.schema().fields().length, what);
    Dataset<Row> scored = input.mapPartitions(scorer, Encoders.row(schema));
    // mapPartitions keeps the columns' types but not their metadata (ML attributes: class names,
    // vector sizes, the input's feature names): one projection puts it back.
    Column[] withMetadata = new Column[schema.fields().length];
    for (int i = 0; i < withMetadata.length; i++) {
      StructField f = schema.fields()[i];
      withMetadata[i] = scored.col("`" + f.name().replace("`", "``") + "`").as(f.name(), f.metadata());
    }
    return scored.select(withMetadata);
  }

  private boolean hasPredictedLabel() {
    return isClassifier() && model.labels() != null && columns.predictedLabel() != null;
  }
}
