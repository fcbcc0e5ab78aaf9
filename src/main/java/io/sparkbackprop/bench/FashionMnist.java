package io.sparkbackprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fashion-MNIST (or MNIST) from its IDX files, as Debian's {@code dataset-fashion-mnist} installs
 * them under {@code /usr/share/datasets/fashion-mnist}: {@code train-images-idx3-ubyte.gz} and so
 * on, gzipped or not. Converted once to parquet with a vector column {@code features} (pixels
 * scaled to [0, 1] by dividing by 255) and a double column {@code label} (class 0..9), which both
 * spark-backprop and Spark ML's MLPC read as any user's data.
 */
public final class FashionMnist {
  public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
  public static final int CLASSES = 10;
  public static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType(), false)
      .add("label", DataTypes.DoubleType, false);

  private FashionMnist() {
  }

  /** One split: {@code prefix} is {@code train} or {@code t10k}. */
  public record Split(IdxFile images, IdxFile labels) {
    public Split {
      if (images.items() != labels.items()) {
        throw new IllegalArgumentException(images.items() + " images but " + labels.items() + " labels");
      }
    }

    public int rows() {
      return images.items();
    }

    public int features() {
      return images.itemSize();
    }
  }

  public static Split read(Path dir, String prefix) throws IOException {
    return new Split(IdxFile.read(find(dir, prefix + "-images-idx3-ubyte")),
        IdxFile.read(find(dir, prefix + "-labels-idx1-ubyte")));
  }

  private static Path find(Path dir, String name) throws IOException {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new NoSuchFileException(dir.resolve(name) + "[.gz]",
        null, "install Debian's dataset-fashion-mnist or pass --idx DIR");
  }

  /** The first {@code limit} rows (all when {@code limit <= 0}) of a split as rows of {@link #SCHEMA}. */
  public static List<Row> rows(Split split, int limit) {
    int n = limit > 0 ? Math.min(limit, split.rows()) : split.rows();
    int d = split.features();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = split.images().get(i, j) / 255.0;
      }
      rows.add(RowFactory.create(Vectors.dense(x), (double) split.labels().get(i, 0)));
    }
    return rows;
  }

  /**
   * Writes {@code train.parquet} and {@code test.parquet} under {@code out} from the IDX files in
   * {@code idxDir}, unless both exist already. {@code limit} > 0 keeps only that many rows of each.
   */
  public static void convert(SparkSession spark, Path idxDir, Path out, int limit) throws IOException {
    for (String[] split : new String[][] {{"train", "train.parquet"}, {"t10k", "test.parquet"}}) {
      Path target = out.resolve(split[1]);
      if (Files.isDirectory(target) && Files.exists(target.resolve("_SUCCESS"))) {
        continue;
      }
      Dataset<Row> df = spark.createDataFrame(rows(read(idxDir, split[0]), limit), SCHEMA);
      df.repartition(4).write().mode(SaveMode.Overwrite).parquet(target.toString());
    }
  }
}
