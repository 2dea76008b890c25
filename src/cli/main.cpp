// cinerec: a semantic movie recommender. This file only wires the subcommands together.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace cinerec::cli;
  CLI::App app{"cinerec: semantic movie recommendations from what you feel like watching"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cinerec 0.1.0");
  GlobalOptions global;
  const char* env_db = std::getenv("CINEREC_DB");
  global.db = env_db && *env_db ? env_db : "cinerec.db";
  app.add_option("--db", global.db, "database: a SQLite file path or a postgres://USER@HOST/DATABASE URL (env CINEREC_DB, default ./cinerec.db)")
      ->capture_default_str();
  const char* env_index = std::getenv("CINEREC_VECTOR_INDEX");
  global.vector_index = env_index && *env_index ? env_index : "";
  app.add_option("--vector-index", global.vector_index,
                 "HNSW index file of cinerec index (env CINEREC_VECTOR_INDEX, default: DB.hnsw beside a SQLite file)");

  register_import_commands(app, global);
  register_index_commands(app, global);
  register_inspect_commands(app, global);
  register_search_commands(app, global);
  register_embed_commands(app, global);
  register_eval_commands(app, global);
  register_duplicates_commands(app, global);
  register_ratings_commands(app, global);
  register_synth_commands(app, global);
  register_serve_command(app, global);
  register_watch_commands(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return global.run ? global.run() : 0;
}
