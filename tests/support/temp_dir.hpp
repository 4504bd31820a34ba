#pragma once
// TempDir: a fresh folder under the system temp dir, removed with everything in it at the end
// of the test. Also paths to the repository's own content and binary for tests.
// Thread-safety: not shared between threads.

#include <filesystem>
#include <random>
#include <string>

namespace outreach::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("outreach-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }

  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The repository's content/ folder (the shipped content is what the tests run against).
inline std::string source_content_dir() {
  return std::string(OUTREACH_SOURCE_DIR) + "/content";
}

// A copy of the shipped content in `dir`/content, for tests that edit it.
inline std::string copy_content(const TempDir& dir) {
  const auto to = dir.path() / "content";
  std::filesystem::copy(source_content_dir(), to, std::filesystem::copy_options::recursive);
  return to.string();
}

}  // namespace outreach::testing
