// cinerec import FILE / cinerec add-embeddings FILE
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "catalog/embeddings_file.h"
#include "catalog/import.h"
#include "catalog/npy.h"
#include "catalog/title_index.h"
#include "cli/commands.h"
#include "recommend/catalog_duplicates.h"

namespace cinerec::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string posters_dir;
  std::string source;
  std::vector<std::string> columns;  // field=header
  bool quiet = false;
  std::string vectors;  // .npy whose row i is the vector of record i
  std::string model = "text-embedding-3-small";
};

// Stores row i of the .npy as the vector of catalog record i, a block of rows per transaction (constant
// memory; re-running the import repeats the same writes, so an interrupted import is resumed by
// running it again).
Result<std::size_t> import_npy_vectors(Store& store, NpyReader& npy, const ParsedCatalog& catalog, const std::string& model) {
  auto movies = store.movies();
  if (!movies.ok()) return movies.error();
  auto titles = TitleIndex::of(*movies);
  constexpr std::size_t kBlock = 4096;
  std::vector<float> block;
  std::size_t done = 0;
  for (;;) {
    auto n = npy.read(kBlock, block);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    std::vector<VectorWrite> writes(*n);
    for (std::size_t i = 0; i < *n; ++i) {
      auto position = titles.find(catalog.records[done + i].title);
      if (!position.ok()) return position.error();
      writes[i].movie = (*movies)[*position].id;
      writes[i].values.assign(block.begin() + static_cast<std::ptrdiff_t>(i * npy.dim()),
                              block.begin() + static_cast<std::ptrdiff_t>((i + 1) * npy.dim()));
    }
    if (auto st = store.put_vectors(model, writes); !st.ok())
      return Error{"rows " + std::to_string(done + 1) + "-" + std::to_string(done + *n) + ": " + st.error().message};
    done += *n;
  }
  return done;
}

// Warns about near-duplicate films involving a movie of this file, against the whole catalog. They are
// kept (two titles of one film are both legitimate entries); recommendations show one of them.
void warn_duplicates(Store& store, const ParsedCatalog& catalog) {
  auto pairs = catalog_duplicates(store);
  if (!pairs.ok()) {
    std::cerr << "warning: could not look for duplicate films: " << pairs.error().message << "\n";
    return;
  }
  std::set<std::string> imported;
  for (const auto& r : catalog.records) imported.insert(r.title);
  for (const auto& p : *pairs) {
    if (!imported.count(p.a.title) && !imported.count(p.b.title)) continue;
    std::cerr << "warning: possible duplicate: " << describe_duplicate(p)
              << "; both kept (cinerec duplicates lists them, recommendations show one)\n";
  }
}

int run_import(const GlobalOptions& global, const ImportArgs& args) {
  ImportOptions options;
  options.source = args.source;
  options.posters_dir = args.posters_dir;
  if (options.posters_dir.empty()) {
    // The seed keeps posters beside its JSON files.
    auto beside = std::filesystem::path(args.file).parent_path() / "posters";
    std::error_code ec;
    if (std::filesystem::is_directory(beside, ec)) options.posters_dir = beside.string();
  }
  for (const auto& mapping : args.columns) {
    auto eq = mapping.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == mapping.size())
      return fail(Error{"--column expects FIELD=HEADER, got \"" + mapping + "\""});
    options.columns[mapping.substr(0, eq)] = mapping.substr(eq + 1);
  }
  auto catalog = read_catalog_file(args.file, options);
  if (!catalog.ok()) return fail(catalog.error());
  std::optional<NpyReader> npy;
  if (!args.vectors.empty()) {
    auto opened = NpyReader::open(args.vectors);
    if (!opened.ok()) return fail(opened.error());
    if (opened->rows() != catalog->records.size())
      return fail(Error{args.vectors + ": " + std::to_string(opened->rows()) + " vectors for " +
                        std::to_string(catalog->records.size()) + " movies in " + args.file + "; nothing imported"});
    npy.emplace(std::move(opened).value());
  }
  auto store = open_db(global, OpenMode::CreateIfMissing);
  if (!store.ok()) return fail(store.error());
  auto summary = (*store)->upsert_movies(catalog->records);
  if (!summary.ok()) return fail(Error{args.file + ": nothing imported: " + summary.error().message});
  if (!args.quiet)
    for (const auto& w : catalog->warnings) std::cerr << "warning: " << w.location << ": " << w.message << "\n";
  std::cout << "imported " << args.file << " into " << (*store)->describe() << ": " << catalog->records.size()
            << " movies (" << summary->added << " added, " << summary->updated << " updated, " << summary->unchanged
            << " unchanged), " << catalog->warnings.size() << " warnings\n";
  if (npy) {
    auto stored = import_npy_vectors(**store, *npy, *catalog, args.model);
    if (!stored.ok()) return fail(Error{args.vectors + ": " + stored.error().message});
    std::cout << "stored " << *stored << " vectors of model " << args.model << " (" << npy->dim() << " dimensions)\n";
  }
  if (!args.quiet) warn_duplicates(**store, *catalog);
  bool has_embeddings = false;
  for (const auto& e : catalog->embeddings) has_embeddings |= e.has_value();
  if (has_embeddings) std::cout << "the file also holds embedding vectors; load them with: cinerec add-embeddings " << args.file << "\n";
  if (summary->added + summary->updated == 0 && !npy) return 0;
  store->reset();
  return refresh_vector_index(global);
}

struct AddEmbeddingsArgs {
  std::string file;
  std::string model = "text-embedding-3-small";
  bool skip_unknown = false;
};

int run_add_embeddings(const GlobalOptions& global, const AddEmbeddingsArgs& args) {
  auto vectors = read_embeddings_file(args.file);
  if (!vectors.ok()) return fail(vectors.error());
  auto store = open_db(global, OpenMode::ReadWrite);
  if (!store.ok()) return fail(store.error());
  auto movies = (*store)->movies();
  if (!movies.ok()) return fail(movies.error());
  auto titles = TitleIndex::of(*movies);
  const std::size_t dim = vectors->front().values.size();
  std::vector<VectorWrite> writes;
  std::size_t unknown = 0;
  std::map<MovieId, std::string> seen;
  for (auto& v : *vectors) {
    auto position = titles.find(v.title);
    if (!position.ok()) {
      ++unknown;
      std::cerr << (args.skip_unknown ? "warning: " : "error: ") << v.location << ": " << position.error().message << "\n";
      continue;
    }
    MovieId id = (*movies)[*position].id;
    if (auto [it, inserted] = seen.emplace(id, v.location); !inserted)
      return fail(Error{v.location + ": second vector for \"" + v.title + "\" (first at " + it->second + ")"});
    writes.push_back({id, std::move(v.values), ""});
  }
  if (unknown > 0 && !args.skip_unknown)
    return fail(Error{args.file + ": " + std::to_string(unknown) +
                      " titles are not in the catalog; nothing stored (import the catalog first, or pass --skip-unknown)"});
  if (auto written = (*store)->put_vectors(args.model, writes); !written.ok())
    return fail(Error{args.file + ": nothing stored: " + written.error().message});
  std::cout << "stored " << writes.size() << " vectors of model " << args.model << " ("
            << dim << " dimensions) in " << (*store)->describe();
  if (unknown) std::cout << "; skipped " << unknown << " unknown titles";
  std::cout << "\n";
  store->reset();
  return refresh_vector_index(global);
}

}  // namespace

void register_import_commands(CLI::App& app, GlobalOptions& global) {
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = app.add_subcommand("import", "import a catalog file (.json, .jsonl or .csv) into the database");
  import->add_option("file", import_args->file, "catalog file")->required();
  import->add_option("--posters", import_args->posters_dir,
                     "directory of m_<title>.png posters (default: posters/ beside the file)");
  import->add_option("--source", import_args->source, "name of the source, stored with each movie")->default_val("file");
  import->add_option("--column", import_args->columns, "CSV column for a field, e.g. --column title=original_title");
  import->add_flag("--quiet", import_args->quiet, "do not print warnings");
  import->add_option("--vectors", import_args->vectors, ".npy file whose row i is the vector of record i");
  import->add_option("--model", import_args->model, "model that made the --vectors")->capture_default_str();
  import->callback([&global, import_args] { global.run = [&global, import_args] { return run_import(global, *import_args); }; });

  auto add_args = std::make_shared<AddEmbeddingsArgs>();
  auto* add = app.add_subcommand("add-embeddings",
                                 "store precomputed vectors keyed by title (.json, .jsonl, or the original app's .sqlite3)");
  add->add_option("file", add_args->file, "vectors file")->required();
  add->add_option("--model", add_args->model, "model that made the vectors")->capture_default_str();
  add->add_flag("--skip-unknown", add_args->skip_unknown, "store the known titles' vectors even if some titles are unknown");
  add->callback([&global, add_args] { global.run = [&global, add_args] { return run_add_embeddings(global, *add_args); }; });
}

}  // namespace cinerec::cli
