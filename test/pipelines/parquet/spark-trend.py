# The trend's per-recording figures computed by Spark from a comfyprof Parquet
# export (test/pipelines/parquet/spark.test.ts compares them with DuckDB's).
# The measured runs as src/analysis/compare.ts groupRuns picks them; one JSON
# line per recording, workflow and cache state.
#
#   python spark-trend.py EXPORT_DIR
import json
import sys

from pyspark.sql import SparkSession

spark = (SparkSession.builder.master("local[1]").appName("comfyprof-trend")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.read.parquet(sys.argv[1] + "/runs").createOrReplaceTempView("runs")
rows = spark.sql("""
  SELECT recording, workflow_fingerprint, cache_use, count(*) AS n,
    percentile(execution_ms, 0.5) AS median_ms, avg(execution_ms) AS mean_ms,
    min(execution_ms) AS min_ms, max(execution_ms) AS max_ms, stddev_samp(execution_ms) AS stdev_ms
  FROM runs
  WHERE NOT warmup AND outcome = 'success' AND execution_ms IS NOT NULL AND NOT cold_run_not_cold
  GROUP BY recording, workflow_fingerprint, cache_use
""").collect()
for r in rows:
    print(json.dumps(r.asDict()))
spark.stop()
