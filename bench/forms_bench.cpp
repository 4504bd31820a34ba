// Forms as people type them: plays every conversation script of each file against the real
// turn pipeline (tests/support/conversations.hpp) and prints, a row per file, how many ended as
// the person meant and in how many messages. `--show-misses` lists each miss with what went
// wrong; `--transcript ID` prints one script's conversation.
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bot/core/log.hpp"
#include "tests/support/conversations.hpp"

namespace {

struct Row {
  std::string file;
  int scripts = 0;
  int done = 0;
  long turns_all = 0;
  long turns_done = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: forms_bench CONTENT_DIR SCRIPTS.yaml... [--show-misses | --transcript "
                 "ID]\n");
    return 2;
  }
  outreach::log::set_level(outreach::log::Level::kOff);
  std::unique_ptr<outreach::testing::SharedContent> loaded;
  try {
    loaded = std::make_unique<outreach::testing::SharedContent>(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "forms_bench: %s\n", e.what());
    return 1;
  }
  auto& content = *loaded;
  std::vector<std::string> files;
  bool show = false;
  std::string only;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--show-misses") == 0)
      show = true;
    else if (std::strcmp(argv[i], "--transcript") == 0 && i + 1 < argc)
      only = argv[++i];
    else
      files.emplace_back(argv[i]);
  }
  std::vector<Row> rows;
  for (const auto& file : files) {
    std::vector<outreach::testing::ConversationScript> scripts;
    try {
      scripts = outreach::testing::load_scripts(file);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "forms_bench: %s\n", e.what());
      return 1;
    }
    Row row{std::filesystem::path(file).filename().string()};
    for (const auto& s : scripts) {
      if (!only.empty()) {
        if (s.id != only)
          continue;
        std::vector<std::string> lines;
        const auto r = outreach::testing::play(s, content, &lines);
        for (const auto& l : lines) std::printf("%s\n", l.c_str());
        std::printf("= %s %s\n", r.completed ? "completed" : "missed:", r.why.c_str());
        return 0;
      }
      const auto r = outreach::testing::play(s, content);
      ++row.scripts;
      row.turns_all += r.turns;
      if (r.completed) {
        ++row.done;
        row.turns_done += r.turns;
      } else if (show) {
        std::printf("  miss %s: %s\n", r.id.c_str(), r.why.c_str());
      }
    }
    rows.push_back(row);
  }
  if (!only.empty()) {
    std::fprintf(stderr, "forms_bench: no script %s\n", only.c_str());
    return 1;
  }
  std::printf(
      "| scripts | count | completed as meant | share | turns per script (all) | turns per "
      "completed script |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (const auto& r : rows)
    std::printf("| %s | %d | %d | %.1f%% | %.1f | %.1f |\n", r.file.c_str(), r.scripts, r.done,
                r.scripts ? 100.0 * r.done / r.scripts : 0.0,
                r.scripts ? static_cast<double>(r.turns_all) / r.scripts : 0.0,
                r.done ? static_cast<double>(r.turns_done) / r.done : 0.0);
  return 0;
}
