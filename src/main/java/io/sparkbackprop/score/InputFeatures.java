package io.sparkbackprop.score;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.model.Features;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A model's feature columns found by name in one input schema: their positions in the row, so the
 * input's column order does not matter. Checked on the driver before any task runs: every column
 * exists, numeric columns are numeric, a vector column is a Spark ML vector whose size, when its
 * metadata records one, is the model's. Per-row problems (null, NaN, a vector of another size)
 * are found while scoring.
 *
 * @param positions input column index of each feature column, or of the one vector column
 * @param names the columns' names, for error messages
 */
record InputFeatures(int[] positions, String[] names, boolean vector, int size) implements Serializable {
  private static final long serialVersionUID = 1L;

  static InputFeatures resolve(StructType schema, Features features, String what) {
    if (features.isVector()) {
      String name = features.vectorColumn();
      int i = position(schema, name, what, " (the model reads one vector column of " + features.size()
          + " features; csv cannot hold vectors: use parquet, orc or libsvm)");
      StructField f = schema.fields()[i];
      if (!(f.dataType() instanceof VectorUDT)) {
        throw new DataException(what + ": column '" + name + "' must be a vector column, is "
            + f.dataType().simpleString());
      }
      int recorded = AttributeGroup.fromStructField(f).size();
      if (recorded > 0 && recorded != features.size()) {
        throw new DataException(what + ": column '" + name + "' holds vectors of " + recorded
            + " features, the model takes " + features.size());
      }
      return new InputFeatures(new int[] {i}, new String[] {name}, true, features.size());
    }
    List<String> columns = features.columns();
    int[] positions = new int[columns.size()];
    for (int j = 0; j < positions.length; j++) {
      positions[j] = position(schema, columns.get(j), what, "");
      StructField f = schema.fields()[positions[j]];
      if (!(f.dataType() instanceof NumericType)) {
        throw new DataException(what + ": column '" + f.name() + "' must be numeric, is "
            + f.dataType().simpleString());
      }
    }
    return new InputFeatures(positions, columns.toArray(new String[0]), false, columns.size());
  }

  private static int position(StructType schema, String name, String what, String hint) {
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new DataException(what + ": no column '" + name + "'; columns are " + List.of(names) + hint);
  }
}
