// Command-line flags of cinerec_bench (shared by its subcommands).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace cinerec::bench {

struct Args {
  std::size_t rows = 100000, dim = 1536, queries = 64, batch = 16, k = 10, rounds = 4;
  unsigned threads = 0;
  std::string out, data_dir;
  // hnsw
  std::size_t M = 16, ef_construction = 200;
  std::vector<std::size_t> efs{10, 32, 64, 128, 256};
};

inline Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string f = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << f << "\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (f == "--rows") a.rows = std::stoul(next());
    else if (f == "--dim") a.dim = std::stoul(next());
    else if (f == "--queries") a.queries = std::stoul(next());
    else if (f == "--batch") a.batch = std::stoul(next());
    else if (f == "--rounds") a.rounds = std::stoul(next());
    else if (f == "--threads") a.threads = static_cast<unsigned>(std::stoul(next()));
    else if (f == "--out") a.out = next();
    else if (f == "--data-dir") a.data_dir = next();
    else if (f == "--M") a.M = std::stoul(next());
    else if (f == "--ef-construction") a.ef_construction = std::stoul(next());
    else if (f == "--ef") {
      a.efs.clear();
      std::string list = next();
      for (std::size_t pos = 0; pos < list.size();) {
        const std::size_t comma = std::min(list.find(',', pos), list.size());
        a.efs.push_back(std::stoul(list.substr(pos, comma - pos)));
        pos = comma + 1;
      }
    }
    else {
      std::cerr << "unknown flag " << f << "\n";
      std::exit(2);
    }
  }
  return a;
}

int run_scan(const Args& a);
int run_hnsw(const Args& a);

}  // namespace cinerec::bench
