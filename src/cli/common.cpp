#include <iostream>

#include "cli/commands.h"
#include "store/postgres/pg_url.h"

namespace cinerec::cli {

int fail(const Error& error) {
  std::cerr << "cinerec: " << error.message << "\n";
  return kExitFailure;
}

Result<std::unique_ptr<Store>> open_db(const GlobalOptions& global, OpenMode mode) {
  return open_store(global.db, mode);
}

std::string vector_index_path(const GlobalOptions& global) {
  if (!global.vector_index.empty()) return global.vector_index;
  if (is_postgres_url(global.db)) return "";
  return global.db + ".hnsw";
}

Result<RecommenderOptions> recommender_options(const GlobalOptions& global, const std::string& model) {
  auto mode = parse_vector_search_mode(global.vector_search);
  if (!mode.ok()) return Error{"--vector-search: " + mode.error().message};
  RecommenderOptions options;
  options.model = model;
  options.vector_search.mode = *mode;
  options.vector_search.ef = global.ef;
  options.vector_search.index_path = vector_index_path(global);
  return options;
}

void add_vector_search_options(CLI::App* command, GlobalOptions& global) {
  command->add_option("--vector-search", global.vector_search,
                      "nearest vectors by: exact scan, hnsw (the index of cinerec index), or auto (hnsw from "
                      "20,000 movies when the index is up to date)")
      ->check(CLI::IsMember({"auto", "exact", "hnsw"}))
      ->capture_default_str();
  command->add_option("--ef", global.ef, "HNSW candidates per query (recall vs speed)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
}

}  // namespace cinerec::cli
