#pragma once
// What the staff commands share: the database opened and migrated for one command, and the
// content loaded once (or a message saying it has errors).
// Thread-safety: one command's thread.

#include <memory>
#include <ostream>

#include <SQLiteCpp/Database.h>

#include "bot/app/config.hpp"
#include "content/model.hpp"

namespace outreach::app {

SQLite::Database open_migrated(const Config& c);

// nullptr (after telling `err`) when the content has errors.
std::shared_ptr<const content::Snapshot> load_content(const Config& c, std::ostream& err);

}  // namespace outreach::app
