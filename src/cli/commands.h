// The cinerec subcommands. Each register_* adds one or more subcommands to the app; when a subcommand
// is chosen, its callback stores the work to run in `run`, which main() calls after parsing, so exit
// codes come from one place.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace cinerec::cli {

struct GlobalOptions {
  std::string db;  // --db, else $CINEREC_DB, else ./cinerec.db
  std::function<int()> run;
};

// Exit codes: 0 success, 1 the command failed (bad input, missing data), 2 usage error (CLI11).
constexpr int kExitFailure = 1;

// Prints "cinerec: <message>" on stderr and returns kExitFailure.
int fail(const Error& error);

Result<std::unique_ptr<Store>> open_db(const GlobalOptions& global, OpenMode mode);

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

}  // namespace cinerec::cli
