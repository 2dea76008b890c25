#include "store/postgres/pg_session.h"

#include <chrono>
#include <thread>

#include "store/postgres/pg_url.h"

namespace cinerec {

namespace {

std::string hint(std::string message) {
  if (message.find("database \"") != std::string::npos && message.find("does not exist") != std::string::npos)
    message += " (create it first, e.g. createdb; cinerec import then creates the tables)";
  return message;
}

// Class 08 (connection exception) and 57P01-57P03 (server shutting down / starting up).
bool is_connection_state(const std::string& state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

}  // namespace

PgSession::PgSession(const std::string& url, std::string uri, OpenMode mode)
    : redacted_(redact_postgres_url(url)), uri_(std::move(uri)), password_(postgres_url_password(url)), mode_(mode) {}

PgSession::~PgSession() { drop_connection(); }

Status PgSession::connect() {
  drop_connection();
  try {
    auto c = std::make_unique<pqxx::connection>(uri_);
    // Reconnection is ours (run()), so libpqxx must not silently reopen a broken connection halfway
    // through a transaction.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // deprecated in 6.x, still what stops it
    c->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    pqxx::nontransaction setup(*c);
    setup.exec0("SET client_min_messages = warning");
    if (mode_ == OpenMode::ReadOnly) setup.exec0("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    // A reader (a replica's loader, a CLI query) never waits forever behind a lock or a stuck server.
    // Writers are not limited: a large import may hold the catalog lock for minutes, and the writers
    // queued behind it should wait. A URL that sets statement_timeout (options=-c statement_timeout=…)
    // keeps its own.
    if (mode_ == OpenMode::ReadOnly && uri_.find("statement_timeout") == std::string::npos)
      setup.exec0("SET statement_timeout = '60s'");
    setup.commit();
    conn_ = std::move(c);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Error{redacted_ + ": cannot connect: " + hint(clean_message(e.what()))};
  }
}

Status PgSession::reconnect(bool patient) {
  auto delay = std::chrono::milliseconds(100);
  for (int tries = 0;; ++tries) {
    auto connected = connect();
    if (connected.ok() || !patient || tries >= 5) return connected;  // waits 3.1 s in all
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

void PgSession::drop_connection() {
  if (conn_ && on_disconnect_) on_disconnect_();
  conn_.reset();
}

bool PgSession::is_broken(const std::exception& e) const {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) || !conn_ || !conn_->is_open()) return true;
  auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql && is_connection_state(sql->sqlstate());
}

std::string PgSession::clean_message(const char* what) const { return one_line_pg_message(what, password_); }

}  // namespace cinerec
