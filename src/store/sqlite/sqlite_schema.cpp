#include "store/sqlite/sqlite_schema.h"

namespace cinerec {

const std::vector<std::string_view>& sqlite_migrations() {
  static const std::vector<std::string_view> migrations = {
      // 1: movies and vectors keyed by (movie, model).
      R"sql(
CREATE TABLE movies (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  title_key   TEXT NOT NULL UNIQUE,      -- fold_for_search(title): the upsert key
  description TEXT NOT NULL,
  genre_raw   TEXT NOT NULL DEFAULT '',
  genres      TEXT NOT NULL DEFAULT '[]', -- JSON array of canonical tags
  year        INTEGER,
  year_raw    TEXT NOT NULL DEFAULT '',
  poster      TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  source_id   TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE vectors (
  movie_id   INTEGER NOT NULL REFERENCES movies(id) ON DELETE CASCADE,
  model      TEXT NOT NULL,
  dim        INTEGER NOT NULL CHECK (dim > 0),
  norm       REAL NOT NULL CHECK (norm > 0),
  data       BLOB NOT NULL CHECK (length(data) = dim * 4), -- little-endian float32
  text_hash  TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (movie_id, model)
);
CREATE INDEX vectors_by_model ON vectors(model, movie_id);
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('catalog_version', '0');
)sql",
      // 2: rating histories (keyed by the source's user id and the catalog movie) and trained models.
      R"sql(
CREATE TABLE ratings (
  user_id  TEXT NOT NULL,
  movie_id INTEGER NOT NULL REFERENCES movies(id) ON DELETE CASCADE,
  rating   REAL NOT NULL CHECK (rating >= 0.5 AND rating <= 5),
  rated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, movie_id)
);
CREATE INDEX ratings_by_movie ON ratings(movie_id);
CREATE TABLE trained_models (
  name            TEXT PRIMARY KEY,
  data            BLOB NOT NULL,
  ratings_version INTEGER NOT NULL,
  trained_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO meta(key, value) VALUES ('ratings_version', '0');
)sql",
      // 3: query-embedding cache for `recommend --provider` (see Store::cached_query_vector).
      R"sql(
CREATE TABLE query_cache (
  provider   TEXT NOT NULL,
  model      TEXT NOT NULL,
  text_hash  TEXT NOT NULL,
  dim        INTEGER NOT NULL CHECK (dim > 0),
  data       BLOB NOT NULL CHECK (length(data) = dim * 4), -- little-endian float32
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (provider, model, text_hash)
);
)sql",
      // 4: the source's tagline and subject keywords (TMDB), searched with the description.
      R"sql(
ALTER TABLE movies ADD COLUMN tagline TEXT NOT NULL DEFAULT '';
ALTER TABLE movies ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]'; -- JSON array of strings
)sql",
  };
  return migrations;
}

}  // namespace cinerec
