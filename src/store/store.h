// The Store interface: the catalog's durable state (movies and their embedding vectors).
// Implementations: SQLite (store/sqlite, the default) and PostgreSQL (store/postgres).
//
// Guarantees every implementation gives:
//  - Each write method is one transaction: it either applies completely or not at all.
//  - Vectors are stored as given (little-endian float32) with their model, dimension and L2 norm;
//    readers get them back bit-exact. A movie has at most one vector per model.
//  - version() increases after every committed write, so readers can tell their snapshot is stale.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"

namespace cinerec {

struct UpsertSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<MovieId> ids;  // the stored id of each record, in the order of the records
};

// One vector to write. text_hash identifies the text that was embedded (empty when unknown), so a later
// `cinerec embed` can tell which vectors are stale after a description changed.
struct VectorWrite {
  MovieId movie = 0;
  std::vector<float> values;
  std::string text_hash;
};

struct StoredVector {
  MovieId movie = 0;
  std::string model;
  std::size_t dim = 0;
  float norm = 0.0f;
  std::vector<float> values;
  std::string text_hash;
};

struct ModelSummary {
  std::string model;
  std::size_t dim = 0;
  std::size_t count = 0;
};

enum class OpenMode {
  ReadOnly,         // fails when the database does not exist
  ReadWrite,        // fails when the database does not exist
  CreateIfMissing,  // creates the database and its schema when absent
};

class Store {
 public:
  virtual ~Store() = default;

  // Where the store lives, for messages (a path, or a URL with any password removed).
  virtual std::string describe() const = 0;

  // Inserts or updates movies keyed by title (compared after fold_for_search, so "La La Land" and
  // "La la land" are one movie). All records in one transaction. Records must have distinct titles.
  virtual Result<UpsertSummary> upsert_movies(const std::vector<MovieRecord>& records) = 0;

  // Every movie, ordered by id.
  virtual Result<std::vector<Movie>> movies() = 0;

  // Writes vectors for `model`, replacing any previous vector of the same (movie, model). One
  // transaction. Every vector must have the same dimension, equal to that of vectors already stored
  // for the model; values must be finite and not all zero. Unknown movie ids are an error.
  virtual Status put_vectors(const std::string& model, const std::vector<VectorWrite>& vectors) = 0;

  // All vectors of `model`, ordered by movie id.
  virtual Result<std::vector<StoredVector>> vectors(const std::string& model) = 0;

  // Models with stored vectors, most vectors first.
  virtual Result<std::vector<ModelSummary>> models() = 0;

  // Counter bumped by every committed write.
  virtual Result<std::int64_t> version() = 0;

  // Returns as soon as the catalog version differs from `known` (a write committed, by this or any
  // other process), or when `timeout` has passed; either way with the version current then. This is
  // how a long-running process (a server replica) learns of writes made elsewhere: PostgreSQL wakes
  // on the NOTIFY each write sends; SQLite polls the version every 50 ms.
  virtual Result<std::int64_t> wait_for_change(std::int64_t known, std::chrono::milliseconds timeout) = 0;

  // Query-embedding cache (added for `recommend --provider`): a prompt's vector keyed by
  // (provider, model, text hash of the prompt), so a repeated prompt costs no API call. Not part of
  // the catalog: writing it does not bump version(). A miss is an empty optional, not an error.
  virtual Result<std::optional<std::vector<float>>> cached_query_vector(const std::string& provider,
                                                                        const std::string& model,
                                                                        const std::string& text_hash) = 0;
  // Stores (or replaces) a cache entry in its own transaction. Values must be finite and not all zero.
  virtual Status cache_query_vector(const std::string& provider, const std::string& model,
                                    const std::string& text_hash, const std::vector<float>& values) = 0;
};

// Opens the store named by `location`: "postgres://…" / "postgresql://…" selects PostgreSQL, anything
// else is a SQLite file path. Migrates the schema to the current version when opened for writing.
Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode);

}  // namespace cinerec
