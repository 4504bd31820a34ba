#pragma once
// Files compiled into the binary by cmake/embed.cmake (migrations, web chat assets).
// Thread-safety: immutable static data.

#include <span>
#include <string_view>

namespace outreach {

struct EmbeddedFile {
  std::string_view name;  // path relative to the embedded folder, e.g. "0001_initial.sql"
  std::string_view data;
};

}  // namespace outreach
