#include "content/learned_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include "bot/core/local_time.hpp"
#include "content/loader.hpp"

namespace outreach::content {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader =
    "# Questions people asked that the bot could not answer, attached by staff to their answer\n"
    "# in the console (/console/questions) or written here by hand. The bot answers each one, as\n"
    "# a whole message, with its answer: case, diacritics, abbreviations and typing slips do not\n"
    "# matter (\"nhan hieu bi trung thi sao\" is \"Nhãn hiệu bị trùng thì sao?\").\n"
    "#   question: what was asked (no names, phone numbers or addresses: this is public content)\n"
    "#   answer:   explainer:<id> (content/explainers), referral:<id> (referrals.yaml), or\n"
    "#             off-topic (politely outside the bot's field)\n"
    "#   added:    the date it was attached (YYYY-MM-DD)\n"
    "# check-content checks this file; `systemctl reload outreach-bot` (or the console) loads "
    "it.\n";

constexpr std::string_view kLexiconHeader =
    "# Everyday words for what the content names formally. Each key is the content's own term\n"
    "# (words of some explainer's title or keywords); under it, the ways people say it in chats.\n"
    "# Staff add phrases here by hand or from the console (/console/questions).\n";

std::mutex& file_mutex() {
  static std::mutex mu;
  return mu;
}

outreach::Problem os_problem(const fs::path& p, std::string_view what) {
  return {Errc::kStorageFailed, std::string(what) + " " + p.string() + ": " + std::strerror(errno) +
                                    " (the bot needs write access to the content folder)"};
}

// Writes `text` to `path` through a synced temporary file renamed over it.
Result<void, outreach::Problem> replace_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return os_problem(tmp, "cannot create");
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      auto p = os_problem(tmp, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return p;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto p = os_problem(tmp, "cannot sync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return p;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto p = os_problem(path, "cannot replace");
    ::unlink(tmp.c_str());
    return p;
  }
  if (const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);  // the rename itself survives a power cut
    ::close(dir);
  }
  return {};
}

std::string quoted(const std::string& s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << s;
  return e.c_str();
}

}  // namespace

std::string read_content_file(const std::string& dir, std::string_view file) {
  std::ifstream in(fs::path(dir) / file, std::ios::binary);
  std::ostringstream s;
  if (in)
    s << in.rdbuf();
  return s.str();
}

Result<void, outreach::Problem> write_content_file(const std::string& dir,
                                                   std::string_view file,
                                                   const std::string& text) {
  std::lock_guard lock(file_mutex());
  return replace_file(fs::path(dir) / file, text);
}

Result<void, outreach::Problem> append_learned(const std::string& dir, const LearnedEntry& e) {
  std::lock_guard lock(file_mutex());
  const fs::path path = fs::path(dir) / kLearnedFile;
  std::string text = read_content_file(dir, kLearnedFile);
  if (text.empty())
    text = kHeader;
  if (!text.ends_with('\n'))
    text += '\n';
  text += "- question: " + quoted(e.question) + "\n  answer: " + e.answer +
          "\n  added: " + local_time::iso_date(e.day) + "\n";
  // The whole file must still be a list, its last entry the one just written.
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsSequence() || root.size() == 0 || !root[root.size() - 1].IsMap() ||
        root[root.size() - 1]["question"].as<std::string>("") != e.question ||
        root[root.size() - 1]["answer"].as<std::string>("") != e.answer)
      return outreach::Problem{Errc::kInvalidInput,
                               path.string() +
                                   " is not a plain list of entries (- question: …): "
                                   "fix it by hand, then attach again"};
  } catch (const YAML::Exception& ex) {
    return outreach::Problem{Errc::kInvalidInput, path.string() + " cannot be read as YAML (line " +
                                                      std::to_string(ex.mark.line + 1) + ": " +
                                                      ex.msg +
                                                      "): fix it by hand, then attach again"};
  }
  return replace_file(path, text);
}

namespace {

// term → its phrases, as the file reads; nullopt when it is not a plain mapping of lists.
std::optional<std::map<std::string, std::vector<std::string>>> lexicon_lists(
    const std::string& text) {
  const YAML::Node root = YAML::Load(text);
  std::map<std::string, std::vector<std::string>> out;
  if (root.IsNull())
    return out;
  if (!root.IsMap())
    return std::nullopt;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar() || !kv.second.IsSequence())
      return std::nullopt;
    auto& list = out[kv.first.as<std::string>()];
    for (const auto& p : kv.second) {
      if (!p.IsScalar())
        return std::nullopt;
      list.push_back(p.as<std::string>());
    }
  }
  return out;
}

// The line that opens `term`'s entry (the key at column 0, plain or quoted); npos when none.
std::size_t term_line(const std::vector<std::string>& lines, const std::string& term) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    for (const std::string& key : {term, quoted(term), "'" + term + "'"})
      if (l.starts_with(key) && l.size() > key.size() && l[key.size()] == ':')
        return i;
  }
  return std::string::npos;
}

// `text` with `phrase` added to the list of the term opened on line `at`.
std::string with_phrase(std::vector<std::string> lines, std::size_t at, const std::string& phrase) {
  const std::string item = quoted(phrase);
  if (lines[at].find('[') != std::string::npos) {
    // A flow list: before its closing bracket, on this line or a later one.
    for (std::size_t i = at; i < lines.size(); ++i) {
      const auto close = lines[i].rfind(']');
      if (close == std::string::npos)
        continue;
      const auto last = lines[i].find_last_not_of(" \t", close == 0 ? 0 : close - 1);
      const bool empty = last != std::string::npos && lines[i][last] == '[';
      lines[i].insert(close, (empty ? "" : ", ") + item);
      break;
    }
  } else {
    // A block list: after its last `- ` line, indented as the others.
    std::size_t last = at;
    std::string indent = "  ";
    for (std::size_t i = at + 1; i < lines.size(); ++i) {
      const std::string& l = lines[i];
      const auto first = l.find_first_not_of(' ');
      if (first == std::string::npos || l[first] == '#')
        continue;
      if (first == 0 && l[0] != '-')
        break;
      if (l[first] == '-') {
        last = i;
        indent = l.substr(0, first);
      }
    }
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(last) + 1, indent + "- " + item);
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  return out;
}

}  // namespace

Result<void, outreach::Problem> add_lexicon_phrase(const std::string& dir,
                                                   const std::string& term,
                                                   const std::string& phrase) {
  std::lock_guard lock(file_mutex());
  const fs::path path = fs::path(dir) / kLexiconFile;
  std::string text = read_content_file(dir, kLexiconFile);
  if (text.empty())
    text = kLexiconHeader;
  const auto refuse = [&](const std::string& why) {
    return outreach::Problem{Errc::kInvalidInput, path.string() + " " + why + ": add '" + phrase +
                                                      "' under '" + term + "' by hand"};
  };
  try {
    const auto before = lexicon_lists(text);
    if (!before)
      return refuse("is not a plain mapping of terms to lists of phrases");
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    const std::size_t at = term_line(lines, term);
    std::string next;
    if (at == std::string::npos || !before->contains(term)) {
      next =
          text + (text.ends_with('\n') ? "" : "\n") + quoted(term) + ": [" + quoted(phrase) + "]\n";
    } else {
      next = with_phrase(std::move(lines), at, phrase) + "\n";
    }
    // The whole file must read back as before, plus this phrase under this term.
    auto expected = *before;
    expected[term].push_back(phrase);
    const auto after = lexicon_lists(next);
    if (!after || *after != expected)
      return refuse("is laid out in a way this edit cannot follow");
    return replace_file(path, next);
  } catch (const YAML::Exception& ex) {
    return refuse("cannot be read as YAML (line " + std::to_string(ex.mark.line + 1) + ": " +
                  ex.msg + ")");
  }
}

std::optional<std::string> personal_detail(std::string_view question) {
  const auto digit = [](char ch) {
    return ch >= '0' && ch <= '9';
  };
  // Digits, with single spaces, dots or hyphens between them ("0909 123 456", "079.201.001").
  int run = 0;
  for (std::size_t i = 0; i < question.size(); ++i) {
    if (digit(question[i])) {
      if (++run >= 8)
        return "a phone or ID number";
    } else if (!(run > 0 && (question[i] == ' ' || question[i] == '.' || question[i] == '-') &&
                 i + 1 < question.size() && digit(question[i + 1]))) {
      run = 0;
    }
  }
  // name@domain.tld within one word.
  for (auto at = question.find('@'); at != std::string_view::npos;
       at = question.find('@', at + 1)) {
    const auto start = question.find_last_of(" \t\n", at);
    const auto end = std::min(question.find_first_of(" \t\n", at), question.size());
    const std::string_view domain = question.substr(at + 1, end - at - 1);
    const auto dot = domain.rfind('.');
    const bool named = at > (start == std::string_view::npos ? 0 : start + 1);
    if (named && dot != std::string_view::npos && dot > 0 && domain.size() - dot > 2)
      return "an email address";
  }
  return std::nullopt;
}

}  // namespace outreach::content
