#include "tests/support/process.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace outreach::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Process::Process(const std::vector<std::string>& argv,
                 const std::string& out_dir,
                 const std::string& stdin_text) {
  std::random_device rd;
  const std::string tag = std::to_string(rd());
  out_path_ = out_dir + "/stdout-" + tag;
  err_path_ = out_dir + "/stderr-" + tag;
  const std::string in_path = out_dir + "/stdin-" + tag;
  std::ofstream(in_path, std::ios::binary) << stdin_text;
  // posix_spawn, not fork: the test process has threads (mock platforms, servers), and a forked
  // child that allocates or opens files before exec can hang on a lock another thread held at
  // the fork (seen under TSan: a bot that never started, with no stderr file). Here the child
  // only opens the three files and execs.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&files, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  const int rc = posix_spawn(&pid_, args[0], &files, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0)
    throw std::runtime_error("posix_spawn " + argv.front() + " failed: " + std::to_string(rc));
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

void Process::signal(int sig) {
  if (!reaped_)
    ::kill(pid_, sig);
}

bool Process::running() {
  if (reaped_)
    return false;
  const pid_t r = waitpid(pid_, &status_, WNOHANG);
  if (r == pid_)
    reaped_ = true;
  return !reaped_;
}

int Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline)
      return -1000;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status_))
    return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_))
    return -WTERMSIG(status_);
  return -1;
}

std::string Process::out() const {
  return slurp(out_path_);
}

std::string Process::err() const {
  return slurp(err_path_);
}

std::uint16_t Process::wait_for_port(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string marker = "http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string e = err();
    if (auto at = e.find(marker); at != std::string::npos) {
      const auto start = at + marker.size();
      const auto end = e.find('/', start);
      if (end != std::string::npos)
        return static_cast<std::uint16_t>(std::stoi(e.substr(start, end - start)));
    }
    if (!running())
      return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

Completed run_bot(const std::vector<std::string>& args,
                  const std::string& work_dir,
                  const std::string& stdin_text) {
  std::vector<std::string> argv{bot_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Process p(argv, work_dir, stdin_text);
  Completed c;
  c.code = p.wait(std::chrono::seconds(60));
  c.out = p.out();
  c.err = p.err();
  return c;
}

}  // namespace outreach::testing
