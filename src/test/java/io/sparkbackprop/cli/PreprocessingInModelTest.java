package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standardisation fitted on training rows and string class labels travel inside the model. */
class PreprocessingInModelTest {
  private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};

  @TempDir
  Path dir;

  private SavedModel load(Path p) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), p.toString());
  }

  @Test
  void standardisationIsFittedOnTrainingRowsOnlyAndStoredInTheModel() throws IOException {
    Path out = dir.resolve("bc");
    // Raw features (areas up to 2500): standardisation makes them trainable with the sample's settings.
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/breast-cancer.conf",
        "--set", "data.train.path=data-samples/breast-cancer/breast_cancer.csv",
        "--set", "data.standardize=true", "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    SavedModel m = load(out);
    assertNotNull(m.preprocessing());
    // mean_radius over all 569 rows is 14.127; over the 80% training split it is close but not equal.
    double mean = m.preprocessing().means()[0];
    assertTrue(Math.abs(mean - 14.127) < 0.5 && mean != 14.127292, "mean_radius mean " + mean);
    assertTrue(m.preprocessing().stds()[3] > 100, "mean_area std " + m.preprocessing().stds()[3]);
    double accuracy = new ObjectMapper().readTree(out.resolve("metrics.json").toFile())
        .get("validation").get("accuracy").asDouble();
    assertTrue(accuracy > 0.93, "validation accuracy on standardised raw data " + accuracy);

    Path scored = dir.resolve("scored");
    JobHarness.Result p = JobHarness.run(PredictJob::run, "--model", out.toString(),
        "--input", "data-samples/breast-cancer/breast_cancer.csv", "--output", scored.toString());
    assertEquals(0, p.exitCode(), p.err());
    List<Row> rows = SparkTestSession.get().read().parquet(scored.toString())
        .select("malignant", "prediction").collectAsList();
    long right = rows.stream().filter(x -> x.getInt(0) == (int) x.getDouble(1)).count();
    assertTrue(right > 0.93 * rows.size(), "predict applies the model's standardisation: " + right + "/" + rows.size());
  }

  @Test
  void stringClassLabelsAreIndexedAtTrainingAndMappedBackAtPrediction() throws IOException {
    Path csv = dir.resolve("iris-names.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data-samples/iris/iris.csv")));
    for (int i = 1; i < lines.size(); i++) {
      String[] v = lines.get(i).split(",");
      lines.set(i, String.join(",", v[0], v[1], v[2], v[3], SPECIES[Integer.parseInt(v[4])]));
    }
    Files.write(csv, lines);
    Path out = dir.resolve("iris");
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/iris.conf",
        "--set", "data.train.path=\"" + csv + "\"", "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of(SPECIES), load(out).labels());

    Path scored = dir.resolve("scored");
    JobHarness.Result p = JobHarness.run(PredictJob::run, "--model", out.toString(), "--input", csv.toString(),
        "--output", scored.toString());
    assertEquals(0, p.exitCode(), p.err());
    List<Row> rows = SparkTestSession.get().read().parquet(scored.toString())
        .select("species", "predictedLabel").collectAsList();
    long right = rows.stream().filter(x -> x.getString(0).equals(x.getString(1))).count();
    assertTrue(right >= 0.9 * rows.size(), right + "/" + rows.size() + " predicted names match");

    Path wrong = dir.resolve("four-classes.csv");
    Files.writeString(wrong, "a,b,c,d,species\n1,2,3,4,x\n1,2,3,4,y\n1,2,3,4,z\n1,2,3,4,w\n");
    JobHarness.Result four = JobHarness.run(TrainJob::run, "conf/iris.conf",
        "--set", "data.train.path=\"" + wrong + "\"", "--set", "data.features=[a, b, c, d]",
        "--set", "data.validation.fraction=0", "--set", "output.model=\"" + dir.resolve("never") + "\"");
    assertEquals(ExitCodes.BAD_DATA, four.exitCode());
    assertEquals("error: data.train.path: column 'species' has 4 distinct classes [w, x, y, z], the model "
        + "has 3 output units\n", four.err());
  }
}
