// Where a store test keeps its database: a SQLite file in the temp directory, or, for "postgres", a
// schema of its own in the database named by CINEREC_TEST_PG_URL (tests/integration/test_postgres.py
// starts a throwaway server, sets it and runs the postgres half; the plain unit run skips it).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <string>

namespace cinerec {

inline const char* test_pg_url() {
  const char* url = std::getenv("CINEREC_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

class TestStoreLocation {
 public:
  // `kind` is "sqlite" or "postgres"; `prefix` keeps the files / schemas of one suite apart.
  // available() is false for postgres without CINEREC_TEST_PG_URL (the caller then skips).
  TestStoreLocation(const std::string& kind, const std::string& prefix) {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& c : test)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    if (kind == "postgres") {
      if (!test_pg_url()) return;
      schema_ = prefix + "_" + test;
      admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      admin("CREATE SCHEMA " + schema_);
      std::string url = test_pg_url();
      location_ = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    } else {
      path_ = std::filesystem::temp_directory_path() /
              ("cinerec-" + prefix + "-" + std::to_string(::getpid()) + "-" + test + ".db");
      std::filesystem::remove(path_);
      location_ = path_.string();
    }
  }
  ~TestStoreLocation() {
    if (!path_.empty())
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
    if (!schema_.empty()) admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  TestStoreLocation(const TestStoreLocation&) = delete;
  TestStoreLocation& operator=(const TestStoreLocation&) = delete;

  bool available() const { return !location_.empty(); }
  const std::string& location() const { return location_; }

 private:
  static void admin(const std::string& sql) {
    pqxx::connection c(test_pg_url());
    pqxx::nontransaction tx(c);
    tx.exec0("SET client_min_messages = warning");
    tx.exec0(sql);
  }

  std::filesystem::path path_;
  std::string schema_;
  std::string location_;
};

}  // namespace cinerec
