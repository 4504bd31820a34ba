#pragma once
// ContentStore: holds the published content Snapshot. reload() parses the folder and swaps in
// the new snapshot only if it has no errors — a broken edit keeps the content that is running.
// A turn takes snapshot() once at its start and sees one consistent version.
// Thread-safety: snapshot() and reload() are safe from any thread (the pointer is guarded by a
// mutex; reload() reads files, so call it from a blocking thread, never an io thread).

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "bot/core/clock.hpp"
#include "content/loader.hpp"

namespace outreach::content {

// The local day number (Asia/Ho_Chi_Minh) of a UTC time: local_time::day_of, under the name
// content's callers use when they load content for "today".
inline std::int64_t local_day(std::int64_t unix_ms) {
  return local_time::day_of(unix_ms);
}

class ContentStore {
 public:
  ContentStore(std::string dir, const Clock& clock);

  // Loads the folder; publishes the new snapshot when it has no errors.
  LoadReport reload();

  // The current snapshot; null until a reload succeeded.
  std::shared_ptr<const Snapshot> snapshot() const;

  // Publishes a snapshot built elsewhere (tests).
  void publish(std::shared_ptr<const Snapshot> s);

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;  // guarded by mu_
  std::mutex reload_mu_;                     // one reload at a time
};

}  // namespace outreach::content
