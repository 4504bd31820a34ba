#include "content/learned_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

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

std::string read_learned(const std::string& dir) {
  std::ifstream in(fs::path(dir) / kLearnedFile, std::ios::binary);
  std::ostringstream s;
  if (in)
    s << in.rdbuf();
  return s.str();
}

Result<void, outreach::Problem> write_learned(const std::string& dir, const std::string& text) {
  std::lock_guard lock(file_mutex());
  return replace_file(fs::path(dir) / kLearnedFile, text);
}

Result<void, outreach::Problem> append_learned(const std::string& dir, const LearnedEntry& e) {
  std::lock_guard lock(file_mutex());
  const fs::path path = fs::path(dir) / kLearnedFile;
  std::string text = read_learned(dir);
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
