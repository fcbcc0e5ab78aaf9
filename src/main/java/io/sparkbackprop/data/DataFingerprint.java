package io.sparkbackprop.data;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * A cheap fingerprint of the files behind a path, for a model's provenance: number of files,
 * total bytes and the newest modification time. It tells that the data changed, not how.
 */
public final class DataFingerprint {
  private DataFingerprint() {
  }

  public static Map<String, Object> of(SparkSession spark, String pathString) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", pathString);
    long files = 0;
    long bytes = 0;
    long newest = 0;
    try {
      Path path = new Path(pathString);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] roots = fs.globStatus(path);
      if (roots != null) {
        for (FileStatus root : roots) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String name = f.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
              continue;   // _SUCCESS, .crc and other side files
            }
            files++;
            bytes += f.getLen();
            newest = Math.max(newest, f.getModificationTime());
          }
        }
      }
    } catch (IOException e) {
      out.put("error", e.getMessage());
    }
    out.put("files", files);
    out.put("bytes", bytes);
    out.put("lastModified", java.time.Instant.ofEpochMilli(newest).toString());
    return out;
  }
}
