package io.sparkbackprop.data;

import io.sparkbackprop.config.FeatureColumns;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The feature and label columns of a DataFrame, checked against its schema: every named column
 * exists and has the right type, and the number of features is known.
 *
 * @param labelNames for a string label column, the class names in class-index order; else null
 */
public record FeatureSchema(FeatureColumns columns, String label, int numFeatures,
    List<String> labelNames) {

  /** Whether the label column holds strings (class names) rather than numbers. */
  public static boolean hasStringLabel(Dataset<Row> df, String label, String what) {
    return field(df.schema(), label, what).dataType() instanceof StringType;
  }

  public FeatureSchema withLabelNames(List<String> names) {
    return new FeatureSchema(columns, label, numFeatures, List.copyOf(names));
  }

  /** Resolves {@code columns} and {@code label} on {@code df}; {@code what} names the data in errors. */
  public static FeatureSchema resolve(Dataset<Row> df, FeatureColumns columns, String label, String what) {
    StructType schema = df.schema();
    int numFeatures;
    if (columns.isVector()) {
      StructField f = field(schema, columns.vectorColumn(), what);
      if (!(f.dataType() instanceof VectorUDT)) {
        throw new DataException(what + ": column '" + f.name() + "' must be a vector column, is "
            + f.dataType().simpleString());
      }
      numFeatures = AttributeGroup.fromStructField(f).size();
      if (numFeatures <= 0) {
        List<Row> first = df.select(functions.col(quote(f.name()))).na().drop().takeAsList(1);
        if (first.isEmpty()) {
          throw new DataException(what + ": column '" + f.name() + "' has no non-null rows");
        }
        numFeatures = ((Vector) first.get(0).get(0)).size();
      }
    } else {
      for (String c : columns.columns()) {
        requireNumeric(df, field(schema, c, what), what);
      }
      numFeatures = columns.columns().size();
    }
    if (label != null) {
      StructField l = field(schema, label, what);
      if (!(l.dataType() instanceof StringType)) {
        requireNumeric(df, l, what);
      }
    }
    return new FeatureSchema(columns, label, numFeatures, null);
  }

  /** The feature columns (or the vector column) as doubles, then the label, in that order. */
  public Dataset<Row> select(Dataset<Row> df) {
    Column[] cols;
    if (columns.isVector()) {
      cols = new Column[] {functions.col(quote(columns.vectorColumn()))};
    } else {
      cols = columns.columns().stream()
          .map(c -> functions.col(quote(c)).cast("double")).toArray(Column[]::new);
    }
    if (label != null) {
      cols = Arrays.copyOf(cols, cols.length + 1);
      Column l = functions.col(quote(label));
      if (labelNames != null) {
        // Class name -> index; a name not in the list gives -1, which the block builder reports.
        Column names = functions.array(labelNames.stream().map(functions::lit).toArray(Column[]::new));
        l = functions.array_position(names, l).minus(1);
      }
      cols[cols.length - 1] = l.cast("double");
    }
    return df.select(cols);
  }

  String[] featureNames() {
    return columns.isVector() ? new String[] {columns.vectorColumn()}
        : columns.columns().toArray(new String[0]);
  }

  private static StructField field(StructType schema, String name, String what) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new DataException(what + ": no column '" + name + "'; columns are "
        + List.of(schema.fieldNames()));
  }

  private static void requireNumeric(Dataset<Row> df, StructField f, String what) {
    DataType t = f.dataType();
    if (!(t instanceof NumericType)) {
      if (t instanceof StringType && df.isEmpty()) {
        // A csv file with only its header: Spark infers every column as text.
        throw new DataException(what + ": has no rows");
      }
      throw new DataException(what + ": column '" + f.name() + "' must be numeric, is "
          + t.simpleString() + notNumbers(df, f));
    }
  }

  /** For a text column (e.g. a csv column with a stray word): the first few values that are not numbers. */
  private static String notNumbers(Dataset<Row> df, StructField f) {
    if (!(f.dataType() instanceof StringType)) {
      return "";
    }
    Column c = functions.col(quote(f.name()));
    List<String> bad = df.select(c).where(c.isNotNull().and(c.try_cast("double").isNull())).distinct()
        .limit(3).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    return bad.isEmpty() ? "" : " (values that are not numbers: "
        + bad.stream().map(v -> "'" + v + "'").collect(java.util.stream.Collectors.joining(", ")) + ")";
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
