#pragma once
// Process: runs the real outreach-bot binary as a child process (for crash, signal and CLI
// tests), with stdin from a string and stdout/stderr captured to files.
// Thread-safety: drive from one thread.

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace outreach::testing {

inline std::string bot_binary() {
  return OUTREACH_BIN;
}

class Process {
 public:
  // Starts `argv` (argv[0] is the program path). `stdin_text` is written to its stdin.
  Process(const std::vector<std::string>& argv,
          const std::string& out_dir,
          const std::string& stdin_text = {});
  ~Process();

  void signal(int sig);
  // Waits for exit; returns the exit code, or -signal if killed; -1000 on timeout.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running();

  std::string out() const;  // what it wrote to stdout so far
  std::string err() const;  // ... and to stderr

  // Waits for the "Open the web chat at http://127.0.0.1:PORT/" line; returns the port or 0.
  std::uint16_t wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_path_;
  std::string err_path_;
};

// Runs to completion and returns {exit code, stdout, stderr}.
struct Completed {
  int code = 0;
  std::string out;
  std::string err;
};

Completed run_bot(const std::vector<std::string>& args,
                  const std::string& work_dir,
                  const std::string& stdin_text = {});

}  // namespace outreach::testing
