// USearch as a benchmark reference, on the dataset cinerec_bench wrote (data.f32, queries.f32,
// truth.json in --data-dir). USearch is npm `usearch` (pinned in package-lock.json): its C++ index
// behind a prebuilt Node binding, so the timings are of its native code; the JavaScript around each
// call is a few microseconds. Prints JSON in the shape of bench/reference.py's output.
//
//   node usearch_reference.mjs exact --data-dir D --rows N --dim D [--queries 64] [--batch 16] [--rounds 4] [--k 10]
//   node usearch_reference.mjs hnsw  --data-dir D --rows N --dim D [--M 16] [--ef-construction 100]
//                                    [--efs 10,32,64,128,256] [--build-threads 0] ...
//
// exact: exactSearch (inner product, every hardware thread), batch 1 and batch --batch, in the
// same interleaved rounds as cinerec_bench. hnsw: Index with connectivity M and expansion_add
// ef_construction, built over every hardware thread; each query searched on one thread, as cinerec's
// and hnswlib's are; expansion_search is fixed when an index is made, so for each ef the saved
// index is loaded into a new Index with that expansion.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import usearch from "usearch";

const { Index, exactSearch, MetricKind } = usearch;
const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const a = { mode: argv[0], queries: 64, batch: 16, rounds: 4, k: 10, M: 16, efConstruction: 100,
              efs: [10, 32, 64, 128, 256], buildThreads: 0 };
  const names = { "--data-dir": "dataDir", "--rows": "rows", "--dim": "dim", "--queries": "queries",
                  "--batch": "batch", "--rounds": "rounds", "--k": "k", "--M": "M",
                  "--ef-construction": "efConstruction", "--efs": "efs", "--build-threads": "buildThreads" };
  for (let i = 1; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) throw new Error(`unknown or incomplete option ${argv[i]}`);
    a[key] = key === "dataDir" ? argv[i + 1]
           : key === "efs" ? argv[i + 1].split(",").map(Number) : Number(argv[i + 1]);
  }
  if (!["exact", "hnsw"].includes(a.mode) || !a.dataDir || !a.rows || !a.dim)
    throw new Error("usage: usearch_reference.mjs exact|hnsw --data-dir D --rows N --dim D [options]");
  return a;
}

function readF32(file, count) {
  // Read in pieces into one ArrayBuffer: readFileSync refuses files over 2 GiB (1M x 1536 is 6 GB),
  // and a fresh buffer starts at offset 0, which the binding requires of typed arrays.
  const size = fs.statSync(file).size;
  if (size !== count * 4) throw new Error(`${file}: ${size} bytes, expected ${count * 4}`);
  const out = new Float32Array(count);
  const fd = fs.openSync(file, "r");
  try {
    const piece = 1 << 30;
    for (let done = 0; done < size;) {
      // A byte view per piece: one Uint8Array over all 6 GB would exceed V8's typed array length.
      const view = new Uint8Array(out.buffer, done, Math.min(piece, size - done));
      const n = fs.readSync(fd, view, 0, view.length, done);
      if (n <= 0) throw new Error(`${file}: short read at byte ${done} of ${size}`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

function percentile(samples, p) {
  // Linear interpolation between closest ranks, as numpy.percentile does.
  const s = [...samples].sort((x, y) => x - y);
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * p, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function summarize(method, batch, samples) {
  const p50 = percentile(samples, 0.5);
  return { method, batch, samples: samples.length, p50_ms: p50 * 1e3, p99_ms: percentile(samples, 0.99) * 1e3,
           min_ms: Math.min(...samples) * 1e3, qps: p50 > 0 ? batch / p50 : 0 };
}

function recall(got, truth) {
  let sum = 0;
  for (let q = 0; q < truth.length; ++q) {
    const t = new Set(truth[q]);
    sum += got[q].filter((r) => t.has(r)).length / truth[q].length;
  }
  return sum / truth.length;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
const rowsOf = (keys, from, k) => Array.from(keys.subarray(from, from + k), Number);

function info() {
  // The package's "exports" hide its package.json from resolution; read the installed copy directly.
  const pkg = JSON.parse(fs.readFileSync(path.join(here, "node_modules/usearch/package.json"), "utf8"));
  return { usearch: pkg.version, node: process.version, hardware_threads: os.availableParallelism() };
}

// Query blocks are copied out before timing: usearch's binding reads a typed array's whole buffer,
// ignoring a subarray's offset (every subarray would search with the first query).
const queryBlock = (a, queries, first, b) => queries.slice(first * a.dim, (first + b) * a.dim);

function runExact(a, data, queries, truth) {
  const methods = [1, a.batch].map((b) => {
    const blocks = Array.from({ length: a.queries - b + 1 }, (_, first) => queryBlock(a, queries, first, b));
    return { name: "usearch exactSearch", batch: b, samples: [],
             run: (first) => exactSearch(data, blocks[first], a.dim, a.k, MetricKind.IP, 0) };
  });
  for (let round = 0; round < a.rounds; ++round) {
    for (const m of methods) {
      const perRound = Math.max(1, Math.floor(a.queries / a.rounds / m.batch));
      for (let i = 0; i < perRound; ++i) {
        const first = ((round * perRound + i) * m.batch) % (a.queries - m.batch + 1);
        const t = now();
        m.run(first);
        m.samples.push(now() - t);
      }
    }
  }
  const got = [];
  for (let q = 0; q < a.queries; ++q) got.push(rowsOf(methods[0].run(q).keys, 0, a.k));
  const r = recall(got, truth);
  return { info: info(), results: methods.map((m) => ({ ...summarize(m.name, m.batch, m.samples), recall_at_10: r })) };
}

function runHnsw(a, data, queries, truth) {
  const config = (ef) => ({ dimensions: a.dim, metric: MetricKind.IP, connectivity: a.M,
                            expansion_add: a.efConstruction, expansion_search: ef });
  const rssBefore = process.memoryUsage().rss;
  let t = now();
  const built = new Index(config(a.efs[0]));
  const keys = new BigUint64Array(a.rows);
  for (let i = 0; i < a.rows; ++i) keys[i] = BigInt(i);
  built.add(keys, data, a.buildThreads);
  const buildS = now() - t;
  const rssDelta = process.memoryUsage().rss - rssBefore;
  const file = path.join(a.dataDir, "usearch.index");
  t = now();
  built.save(file);
  const saveS = now() - t;
  const fileBytes = fs.statSync(file).size;

  const singles = Array.from({ length: a.queries }, (_, q) => queryBlock(a, queries, q, 1));
  const runs = [];
  let loadS = null;
  for (const ef of a.efs) {
    const index = new Index(config(ef));
    t = now();
    index.load(file);
    if (loadS === null) loadS = now() - t;
    runs.push({ ef, index, samples: [], got: new Array(a.queries) });
  }
  for (let round = 0; round < a.rounds; ++round) {
    for (const run of runs) {
      for (let q = round; q < a.queries; q += a.rounds) {
        const query = singles[q];
        const s = now();
        const m = run.index.search(query, a.k, 1);
        run.samples.push(now() - s);
        run.got[q] = rowsOf(m.keys, 0, a.k);
      }
    }
  }
  fs.rmSync(file, { force: true });
  return {
    info: info(),
    builds: [{ method: "usearch hnsw", build_s: buildS, memory_bytes: fileBytes, rss_growth_bytes: rssDelta,
               save_s: saveS, load_s: loadS, file_bytes: fileBytes }],
    results: runs.map((run) => ({ ...summarize("usearch hnsw", 1, run.samples), ef: run.ef,
                                  recall_at_10: recall(run.got, truth) })),
  };
}

const a = parseArgs(process.argv.slice(2));
const data = readF32(path.join(a.dataDir, "data.f32"), a.rows * a.dim);
const queries = readF32(path.join(a.dataDir, "queries.f32"), a.queries * a.dim);
const truth = JSON.parse(fs.readFileSync(path.join(a.dataDir, "truth.json"), "utf8"));
const out = a.mode === "exact" ? runExact(a, data, queries, truth) : runHnsw(a, data, queries, truth);
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
