#include "tests/support/process.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
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
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
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
