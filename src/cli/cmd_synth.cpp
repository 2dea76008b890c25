// cinerec synth --movies N --dim D --out DIR: a synthetic catalog and its vectors for scale tests.
#include <iostream>

#include "cli/commands.h"
#include "synth/synthetic_catalog.h"

namespace cinerec::cli {

void register_synth_commands(CLI::App& app, GlobalOptions& global) {
  auto spec = std::make_shared<SyntheticCatalogSpec>();
  auto out = std::make_shared<std::string>();
  auto* synth = app.add_subcommand(
      "synth", "write a synthetic catalog (DIR/catalog.jsonl or .csv) and its vectors (DIR/vectors.npy)");
  synth->add_option("--movies", spec->movies, "number of movies")->required()->check(CLI::PositiveNumber);
  synth->add_option("--dim", spec->dim, "vector dimension")->capture_default_str()->check(CLI::PositiveNumber);
  synth->add_option("--clusters", spec->clusters, "topics the vectors cluster around")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  synth->add_option("--seed", spec->seed, "generator seed (same seed, same catalog)")->capture_default_str();
  synth->add_option("--format", spec->format, "catalog format")->capture_default_str()->check(CLI::IsMember({"jsonl", "csv"}));
  synth->add_option("--out", *out, "output directory")->required();
  synth->callback([&global, spec, out] {
    global.run = [spec, out] {
      auto files = write_synthetic_catalog(*spec, *out);
      if (!files.ok()) return fail(files.error());
      std::cout << "wrote " << spec->movies << " movies to " << files->catalog << " and their " << spec->dim
                << "-dimensional vectors to " << files->vectors << "\nimport both with: cinerec import "
                << files->catalog << " --vectors " << files->vectors << " --model synthetic-" << spec->dim << "\n";
      return 0;
    };
  });
}

}  // namespace cinerec::cli
