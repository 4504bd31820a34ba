#pragma once
// Opening the SQLite database with the project's PRAGMAs, and applying the numbered migrations
// embedded in the binary (storage/migrations/NNNN_name.sql), tracked by PRAGMA user_version.
// Thread-safety: a SQLite::Database must be used by one thread at a time; in the server that is
// the DB thread (storage/db_executor.hpp) for the writer and the read pool for readers.

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/core/embedded.hpp"

namespace outreach::storage {

struct DbOptions {
  std::string path = "var/outreach.sqlite3";  // ":memory:" for tests
  bool full_sync = false;                     // synchronous=FULL instead of NORMAL
  int busy_timeout_ms = 5000;
  bool read_only = false;
};

// Opens (creating the file and its folder if needed) and sets WAL, foreign keys,
// busy timeout and synchronous. Throws std::runtime_error naming the path on failure.
SQLite::Database open_database(const DbOptions& options);

// Makes every commit of this connection so far survive a power cut: syncs the write-ahead log,
// which is what synchronous=FULL does at each commit. Lets a NORMAL connection make a chosen
// commit durable without switching the pragma back and forth. No-op for an in-memory database.
// Throws std::runtime_error when the sync fails.
void sync_log(SQLite::Database& db);

struct Migration {
  int version = 0;
  std::string name;
  std::string_view sql;
};

// The migrations compiled into this binary, in version order.
std::vector<Migration> embedded_migrations();

// Parses "0001_initial.sql" style names; throws std::logic_error on gaps or duplicates.
std::vector<Migration> migrations_from(std::span<const EmbeddedFile> files);

class SchemaTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MigrateReport {
  int from = 0;
  int to = 0;
  std::vector<std::string> applied;  // names
};

int schema_version(SQLite::Database& db);

// Applies every migration newer than user_version in one IMMEDIATE transaction, bumping
// user_version. Throws SchemaTooNew when the database is newer than the newest migration, and
// SQLite::Exception (after rolling back) when a migration fails.
MigrateReport migrate(SQLite::Database& db, const std::vector<Migration>& migrations);

}  // namespace outreach::storage
