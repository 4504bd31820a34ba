#pragma once
// The questions of evaluation files (../shared/eval/*.tsv, tests/fixtures/questions-own.tsv):
// the first column of each line, without comments, blank lines and the header. Shared by the
// benchmarks that ask them. Throws std::runtime_error naming a file it cannot read.

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace outreach::bench {

inline std::vector<std::string> read_questions(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    if (!in)
      throw std::runtime_error("cannot read " + f);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line.starts_with("question\t"))
        continue;
      out.push_back(line.substr(0, line.find('\t')));
    }
  }
  return out;
}

}  // namespace outreach::bench
