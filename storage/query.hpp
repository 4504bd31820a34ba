#pragma once
// Query: borrows one of a repository's prepared statements for a single use — bind named
// parameters, step, read columns — and resets it (and its bindings) on destruction, so the
// statement is ready for the next use. Values are always bound, never spliced into SQL.
// Thread-safety: as the statement's connection (DB thread only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

class Query {
 public:
  explicit Query(SQLite::Statement& s) : s_(s) {}

  ~Query() {
    s_.tryReset();
    s_.clearBindings();
  }

  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(const char* name, std::int64_t v) {
    s_.bind(name, static_cast<int64_t>(v));
    return *this;
  }

  Query& bind(const char* name, int v) {
    s_.bind(name, v);
    return *this;
  }

  Query& bind(const char* name, bool v) {
    s_.bind(name, v ? 1 : 0);
    return *this;
  }

  Query& bind(const char* name, double v) {
    s_.bind(name, v);
    return *this;
  }

  Query& bind(const char* name, std::string_view v) {
    s_.bind(name, std::string(v));
    return *this;
  }

  Query& bind(const char* name, const std::string& v) {
    s_.bind(name, v);
    return *this;
  }

  Query& bind(const char* name, const char* v) {
    s_.bind(name, v);
    return *this;
  }

  template <class T>
  Query& bind(const char* name, const std::optional<T>& v) {
    if (v)
      return bind(name, *v);
    s_.bind(name);
    return *this;
  }

  // Binds `v` without SQLite taking a copy: `v` must outlive this Query (the bindings are
  // cleared when it ends). For large or hot values such as stored event payloads.
  Query& bind_ref(const char* name, const std::string& v) {
    s_.bindNoCopy(name, v);
    return *this;
  }

  // Binds NULL when `v` is empty.
  Query& bind_or_null(const char* name, const std::string& v) {
    if (v.empty()) {
      s_.bind(name);
      return *this;
    }
    return bind(name, v);
  }

  bool step() { return s_.executeStep(); }

  int exec() { return s_.exec(); }

  std::int64_t i64(int col) const { return s_.getColumn(col).getInt64(); }

  int i32(int col) const { return s_.getColumn(col).getInt(); }

  std::string text(int col) const { return s_.getColumn(col).getString(); }

  bool is_null(int col) const { return s_.getColumn(col).isNull(); }

 private:
  SQLite::Statement& s_;
};

}  // namespace outreach::storage
