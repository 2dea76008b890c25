#include "store/postgres/pg_url.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

TEST(PgUrl, RecognisesBothSchemes) {
  EXPECT_TRUE(is_postgres_url("postgres://h/db"));
  EXPECT_TRUE(is_postgres_url("postgresql://h/db"));
  EXPECT_FALSE(is_postgres_url("cinerec.db"));
  EXPECT_FALSE(is_postgres_url("postgres.db"));
  EXPECT_FALSE(is_postgres_url("mysql://h/db"));
}

TEST(PgUrl, RedactsPasswordInUserInfo) {
  EXPECT_EQ(redact_postgres_url("postgresql://ana:s3cret@db.example:5433/cine"), "postgresql://ana@db.example:5433/cine");
  EXPECT_EQ(redact_postgres_url("postgres://ana@h/cine"), "postgres://ana@h/cine");
  EXPECT_EQ(redact_postgres_url("postgres://h/cine"), "postgres://h/cine");
  // An unencoded '@' or '/' in the password is still password, not host.
  EXPECT_EQ(redact_postgres_url("postgres://ana:p@ss/w@h/cine"), "postgres://ana@h/cine");
}

TEST(PgUrl, RedactsPasswordParameterAndKeepsOthers) {
  EXPECT_EQ(redact_postgres_url("postgres://ana@h/cine?sslmode=require&password=zz&connect_timeout=3"),
            "postgres://ana@h/cine?sslmode=require&connect_timeout=3");
  EXPECT_EQ(redact_postgres_url("postgres://ana@h/cine?password=zz"), "postgres://ana@h/cine");
}

TEST(PgUrl, ExtractsPassword) {
  EXPECT_EQ(postgres_url_password("postgres://ana:s%40cret@h/db"), "s@cret");
  EXPECT_EQ(postgres_url_password("postgres://ana@h/db?password=x%2Fy"), "x/y");
  EXPECT_EQ(postgres_url_password("postgres://ana@h/db"), "");
}

TEST(PgUrl, ConnectionUriAddsTimeoutsNameAndKeepalives) {
  auto uri = postgres_connection_uri("postgres://ana:pw@h/db");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri,
            "postgres://ana:pw@h/db?connect_timeout=5&application_name=cinerec&keepalives_idle=10&"
            "keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000");
  auto given = postgres_connection_uri(
      "postgres://h/db?connect_timeout=1&application_name=replica-2&keepalives_idle=30&keepalives_interval=1&"
      "keepalives_count=9&tcp_user_timeout=0");
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(*given,
            "postgres://h/db?connect_timeout=1&application_name=replica-2&keepalives_idle=30&keepalives_interval=1&"
            "keepalives_count=9&tcp_user_timeout=0");
  auto some = postgres_connection_uri("postgres://h/db?keepalives_idle=60");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(*some,
            "postgres://h/db?keepalives_idle=60&connect_timeout=5&application_name=cinerec&keepalives_interval=5&"
            "keepalives_count=3&tcp_user_timeout=15000");
}

TEST(PgUrl, MalformedParameterIsRefusedWithoutPassword) {
  auto uri = postgres_connection_uri("postgres://ana:topsecret@h/db?sslmode");
  ASSERT_FALSE(uri.ok());
  EXPECT_NE(uri.error().message.find("malformed query parameter \"sslmode\""), std::string::npos);
  EXPECT_EQ(uri.error().message.find("topsecret"), std::string::npos);
  EXPECT_FALSE(postgres_connection_uri("postgres://h/db?").ok());
}

TEST(PgUrl, MessagesAreOneLineWithoutPassword) {
  EXPECT_EQ(one_line_pg_message("connection to server at \"h\" failed: FATAL:  password authentication failed\n"
                                "\tIs the server running?\n",
                                ""),
            "connection to server at \"h\" failed: FATAL: password authentication failed; Is the server running?");
  EXPECT_EQ(one_line_pg_message("bad uri postgres://a:p@ss@h and postgres://a:p%40ss@h", "p@ss"),
            "bad uri postgres://a:***@h and postgres://a:***@h");
  // Too short to tell apart from ordinary text (libpq does not echo passwords anyway).
  EXPECT_EQ(one_line_pg_message("permission denied for table movies", "r"), "permission denied for table movies");
}

}  // namespace
}  // namespace cinerec
