// `comfyprof query "SQL" --parquet DIR`: its options. The work is in query-handler.ts, imported when the command runs.

import type { CommandModule } from "yargs";
import { exitCodeEpilog } from "./exit-codes.js";

export interface QueryArgs {
  sql: string;
  parquet: string;
  format: "text" | "csv" | "json";
}

export function queryCommand(): CommandModule<object, QueryArgs> {
  return {
    command: "query <sql>",
    describe: "Run SQL (DuckDB) over a Parquet export: views runs, nodes, node_types, samples, diagnostics, workflows",
    builder: (y) =>
      y
        .usage(
          '$0 query "SELECT …" --parquet DIR [--format text|csv|json]\n\n' +
            "The views are the export's tables (docs/parquet.md) and node_types, the per-class statistics analyze\n" +
            "reports, over every run in the export (warm-ups excluded).",
        )
        .positional("sql", { type: "string", demandOption: true, describe: "The query (one or more statements; the last one's rows are printed)" })
        .option("parquet", { type: "string", demandOption: true, describe: "The export's folder (comfyprof export --parquet)" })
        .option("format", { choices: ["text", "csv", "json"] as const, default: "text" as const, describe: "What goes to stdout" })
        .example(`$0 query "SELECT workflow_name, cache_use, count(*), median(execution_ms) FROM runs WHERE NOT warmup GROUP BY ALL" --parquet fleet/`, "runs per workflow and cache state")
        .example(`$0 query "SELECT * FROM node_types LIMIT 5" --parquet fleet/ --format csv`, "the most expensive node classes, as CSV")
        .epilog(exitCodeEpilog("query")),
    handler: async (a) => (await import("./query-handler.js")).runQuery(a),
  };
}
