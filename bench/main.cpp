// cinerec_bench: `scan` (exact / quantized scans vs the bandwidth yardstick) and `hnsw` (cinerec's
// HNSW vs raw hnswlib). bench/run.sh runs both and the Python references.
#include <cstring>
#include <iostream>

#include "args.h"

int main(int argc, char** argv) {
  using namespace cinerec::bench;
  if (argc >= 2 && std::strcmp(argv[1], "scan") == 0) return run_scan(parse_args(argc, argv));
  if (argc >= 2 && std::strcmp(argv[1], "hnsw") == 0) return run_hnsw(parse_args(argc, argv));
  std::cerr << "usage: cinerec_bench scan|hnsw [--rows N] [--dim D] [--queries Q] [--batch B] [--rounds R]\n"
               "                     [--threads T] [--data-dir DIR] [--out FILE]\n"
               "                     [--M 16] [--ef-construction 200] [--ef 10,32,64,128,256]   (hnsw)\n";
  return 2;
}
