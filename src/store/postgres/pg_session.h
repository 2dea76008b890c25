// One PostgreSQL connection with cinerec's connection policy, shared by the catalog store
// (pg_store.cpp) and the rating store (pg_rating_store.cpp):
//  - connect() opens it (read-only sessions are read-only on the server and get a statement_timeout);
//  - run() runs a body on it, reconnecting when there is none. When the connection turns out to be
//    broken (the server restarted, a network blip), it reconnects (retried for about 3 s) and runs the
//    body once more: reads always, writes only when they broke before COMMIT was sent (the server
//    rolled them back); a break during COMMIT is reported as "may or may not have been applied".
//  - every message names the server by its URL with the password removed and never contains it.
// Not thread-safe: one session is used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace cinerec {

// Thrown inside a run() body to abort it with a user-facing message (rolled back, not retried).
struct PgRefused {
  Error error;
};

class PgSession {
 public:
  // `url` as the user gave it (for messages and the password), `uri` what libpq connects to.
  PgSession(const std::string& url, std::string uri, OpenMode mode);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  const std::string& redacted() const { return redacted_; }
  const std::string& password() const { return password_; }
  OpenMode mode() const { return mode_; }

  Status connect();

  // Called just before the connection is closed, for objects tied to it (a notification receiver).
  void on_disconnect(std::function<void()> callback) { on_disconnect_ = std::move(callback); }

  template <class T, class Body>
  Result<T> run(const std::string& what, Body body) {
    for (int attempt = 0;; ++attempt) {
      if (!conn_) CINEREC_TRY(reconnect(attempt > 0));
      try {
        return body(*conn_);
      } catch (const PgRefused& refused) {
        return refused.error;
      } catch (const pqxx::in_doubt_error&) {
        drop_connection();
        return Error{redacted_ + ": " + what + ": the connection broke while committing; the write may or may not "
                     "have been applied (check, then retry)"};
      } catch (const std::exception& e) {
        std::string message = clean_message(e.what());
        bool broken = is_broken(e);
        if (!broken || attempt > 0) {
          if (broken) drop_connection();
          return Error{redacted_ + ": " + what + ": " + message};
        }
        drop_connection();
      }
    }
  }

 private:
  Status reconnect(bool patient);
  void drop_connection();
  bool is_broken(const std::exception& e) const;
  std::string clean_message(const char* what) const;

  std::string redacted_;
  std::string uri_;
  std::string password_;
  OpenMode mode_;
  std::unique_ptr<pqxx::connection> conn_;
  std::function<void()> on_disconnect_;
};

}  // namespace cinerec
