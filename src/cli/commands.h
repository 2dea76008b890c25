// The cinerec subcommands. Each register_* adds one or more subcommands to the app; when a subcommand
// is chosen, its callback stores the work to run in `run`, which main() calls after parsing, so exit
// codes come from one place.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "recommend/recommender.h"
#include "store/store.h"

namespace cinerec::cli {

struct GlobalOptions {
  std::string db;            // --db, else $CINEREC_DB, else ./cinerec.db
  std::string vector_index;  // --vector-index, else $CINEREC_VECTOR_INDEX; empty: see vector_index_path
  std::string vector_search = "auto";  // --vector-search of the commands that search vectors
  std::size_t ef = 64;                 // --ef of those commands
  std::function<int()> run;
};

// Exit codes: 0 success, 1 the command failed (bad input, missing data), 2 usage error (CLI11).
constexpr int kExitFailure = 1;

// Prints "cinerec: <message>" on stderr and returns kExitFailure.
int fail(const Error& error);

Result<std::unique_ptr<Store>> open_db(const GlobalOptions& global, OpenMode mode);

// The HNSW index file of the database: --vector-index / $CINEREC_VECTOR_INDEX, else "<db>.hnsw" beside a
// SQLite file; empty for PostgreSQL without one (replicas share no file system: each names its copy).
std::string vector_index_path(const GlobalOptions& global);

// What Recommender::load needs for `model` (empty: the model with the most vectors), with the vector
// search the command line chose. Fails on an unknown --vector-search.
Result<RecommenderOptions> recommender_options(const GlobalOptions& global, const std::string& model);

// --vector-search auto|exact|hnsw and --ef on a command that searches vectors.
void add_vector_search_options(CLI::App* command, GlobalOptions& global);

void register_import_commands(CLI::App& app, GlobalOptions& global);     // import, add-embeddings
void register_inspect_commands(CLI::App& app, GlobalOptions& global);    // check-embeddings
void register_search_commands(CLI::App& app, GlobalOptions& global);     // similar, recommend
void register_embed_commands(CLI::App& app, GlobalOptions& global);      // embed, providers
void register_eval_commands(CLI::App& app, GlobalOptions& global);       // eval
void register_duplicates_commands(CLI::App& app, GlobalOptions& global); // duplicates
void register_ratings_commands(CLI::App& app, GlobalOptions& global);    // import-ratings, train, eval-ratings
void register_synth_commands(CLI::App& app, GlobalOptions& global);      // synth
void register_serve_command(CLI::App& app, GlobalOptions& global);       // serve
void register_watch_commands(CLI::App& app, GlobalOptions& global);      // watch
void register_index_commands(CLI::App& app, GlobalOptions& global);      // index

// After a command changed movies or vectors: rebuilds the HNSW index when the database has one, so it
// never answers from vectors that are gone. Returns an exit code (0 also when there is no index).
int refresh_vector_index(const GlobalOptions& global);

}  // namespace cinerec::cli
