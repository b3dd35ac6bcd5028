// `comfyprof export --parquet DIR logs…`: its options. The work is in export-handler.ts, imported when the command runs.

import type { CommandModule } from "yargs";
import { exitCodeEpilog } from "./exit-codes.js";

export interface ExportArgs {
  logs: string[];
  parquet: string;
  append: boolean;
  lenient: boolean;
}

export function exportCommand(): CommandModule<object, ExportArgs> {
  return {
    command: "export <logs..>",
    describe: "Write the profiles of logs as Parquet tables (runs, nodes, samples, diagnostics, workflows) for DuckDB, Spark or BigQuery",
    builder: (y) =>
      y
        .usage(
          "$0 export --parquet DIR run.ndjson [more.ndjson.gz …] [options]\n\n" +
            "Analyzes each log as `analyze` does and writes one row per run, node, memory sample and diagnostic to\n" +
            "DIR/<table>/day=YYYY-MM-DD/workflow=<fingerprint>/part-<uuid>.parquet (schema: docs/parquet.md).\n" +
            "Query them with `comfyprof query`, `comfyprof trend --parquet DIR`, or any Parquet reader.",
        )
        .positional("logs", { type: "string", array: true, demandOption: true, describe: "Event logs (.ndjson, .ndjson.gz, - for stdin)" })
        .option("parquet", { type: "string", demandOption: true, describe: "The export's folder: new or empty (see --append)" })
        .option("append", { type: "boolean", default: false, describe: "Add to an existing export: new files beside the old ones, none rewritten" })
        .option("lenient", { type: "boolean", default: false, describe: "Skip corrupt lines with a warning instead of refusing the log" })
        .example("$0 export --parquet fleet/ logs/*.ndjson.gz", "a new export")
        .example("$0 export --parquet fleet/ --append today/*.ndjson", "today's logs added to it")
        .epilog(
          "A log that is refused (the message names the line) is left out; the others are exported. Exporting a log\n" +
            "twice (--append) adds its runs twice: each export has its own export_id.\n\n" +
            exitCodeEpilog("export"),
        ),
    handler: async (a) => (await import("./export-handler.js")).runExport(a),
  };
}
