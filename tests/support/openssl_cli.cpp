#include "support/openssl_cli.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace vpnbot::testing_support {
namespace {

// Writes the bytes to a temporary file, so the shell never sees them.
class temp_file {
 public:
  explicit temp_file(std::string_view data) {
    char name[] = "/tmp/vpnbot_dgst_XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    path_ = name;
    std::size_t done = 0;
    while (done < data.size()) {
      auto n = ::write(fd, data.data() + done, data.size() - done);
      if (n <= 0) {
        ::close(fd);
        throw std::runtime_error("write failed");
      }
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~temp_file() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[512];
  while (auto n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) throw std::runtime_error("command failed: " + command);
  // "-r" output: "<hex> *<file>"
  auto space = out.find(' ');
  if (space == std::string::npos) throw std::runtime_error("unexpected openssl output: " + out);
  return out.substr(0, space);
}

}  // namespace

std::string openssl_digest(std::string_view algorithm, std::string_view data) {
  temp_file file(data);
  return run("openssl dgst -" + std::string(algorithm) + " -r " + file.path());
}

std::string openssl_hmac(std::string_view algorithm, std::string_view hex_key,
                         std::string_view data) {
  temp_file file(data);
  return run("openssl dgst -" + std::string(algorithm) +
             " -r -mac HMAC -macopt hexkey:" + std::string(hex_key) + " " + file.path());
}

}  // namespace vpnbot::testing_support
