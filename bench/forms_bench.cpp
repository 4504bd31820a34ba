// Forms as people type them: plays every conversation script of a file against the real turn
// pipeline (tests/support/conversations.hpp) and prints how many ended as the person meant and
// in how many messages. `--show-misses` lists each miss with what went wrong.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "bot/core/log.hpp"
#include "tests/support/conversations.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: forms_bench CONTENT_DIR SCRIPTS.yaml [--show-misses]\n");
    return 2;
  }
  outreach::log::set_level(outreach::log::Level::kOff);
  const std::string content = argv[1];
  const bool show = argc > 3 && std::strcmp(argv[3], "--show-misses") == 0;
  std::vector<outreach::testing::ConversationScript> scripts;
  try {
    scripts = outreach::testing::load_scripts(argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "forms_bench: %s\n", e.what());
    return 1;
  }
  int done = 0;
  long turns_all = 0;
  long turns_done = 0;
  for (const auto& s : scripts) {
    const auto r = outreach::testing::play(s, content);
    turns_all += r.turns;
    if (r.completed) {
      ++done;
      turns_done += r.turns;
    } else if (show) {
      std::printf("  miss %s: %s\n", r.id.c_str(), r.why.c_str());
    }
  }
  const int n = static_cast<int>(scripts.size());
  std::printf(
      "| scripts | completed as meant | share | turns per script (all) | turns per completed "
      "script |\n");
  std::printf("| ---: | ---: | ---: | ---: | ---: |\n");
  std::printf("| %d | %d | %.1f%% | %.1f | %.1f |\n", n, done, n ? 100.0 * done / n : 0.0,
              n ? static_cast<double>(turns_all) / n : 0.0,
              done ? static_cast<double>(turns_done) / done : 0.0);
  return 0;
}
