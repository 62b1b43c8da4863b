#include "support/headless_chromium.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "adapters/emulators/http_call.hpp"

namespace vpnbot::testing_support {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;
using json = nlohmann::json;
using namespace std::chrono_literals;

struct headless_chromium::session {
  boost::asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
};

namespace {

std::string find_chromium() {
  const char* path = ::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t at = 0; at <= dirs.size();) {
    auto colon = dirs.find(':', at);
    if (colon == std::string::npos) colon = dirs.size();
    auto candidate = std::filesystem::path(dirs.substr(at, colon - at)) / "chromium";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    at = colon + 1;
  }
  throw std::runtime_error(
      "no `chromium` on PATH: the browser tests need Debian's chromium package "
      "(bash scripts/install-deps.sh installs it)");
}

std::string base64_decode(const std::string& text) {
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("bad base64 from DevTools");
  size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

headless_chromium::headless_chromium() {
  auto binary = find_chromium();
  char tmpl[] = "/tmp/vpnbot-chromium-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  profile_dir_ = tmpl;
  std::vector<std::string> args{binary,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--remote-debugging-port=0",
                                "--user-data-dir=" + profile_dir_,
                                "--window-size=1280,900",
                                "about:blank"};
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int log = ::open((profile_dir_ + "/chromium.log").c_str(), O_WRONLY | O_CREAT, 0600);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  // Chromium writes the port it chose into the profile.
  uint16_t port = 0;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!port && std::chrono::steady_clock::now() < deadline) {
    std::ifstream f(profile_dir_ + "/DevToolsActivePort");
    int p = 0;
    if (f >> p && p > 0)
      port = static_cast<uint16_t>(p);
    else
      std::this_thread::sleep_for(100ms);
  }
  if (!port) throw std::runtime_error("chromium opened no DevTools port within 30 s");
  std::string page;
  while (page.empty() && std::chrono::steady_clock::now() < deadline) {
    auto list = json::parse(emulators::http_call(port, "GET", "/json/list").body, nullptr, false);
    if (list.is_array())
      for (const auto& t : list)
        if (t.value("type", "") == "page") page = t.value("webSocketDebuggerUrl", "");
    if (page.empty()) std::this_thread::sleep_for(100ms);
  }
  if (page.empty()) throw std::runtime_error("chromium has no page to drive");
  auto path = page.substr(page.find('/', page.find("//") + 2));
  session_ = std::make_unique<session>();
  session_->ws.next_layer().connect(
      tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
  session_->ws.handshake("127.0.0.1:" + std::to_string(port), path);
  call("Page.enable", json::object());
}

headless_chromium::~headless_chromium() {
  session_.reset();
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(profile_dir_, ec);
}

json headless_chromium::call(const std::string& method, json params) {
  int id = next_id_++;
  session_->ws.write(boost::asio::buffer(
      json{{"id", id}, {"method", method}, {"params", std::move(params)}}.dump()));
  for (;;) {
    beast::flat_buffer buffer;
    session_->ws.read(buffer);
    auto reply = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
    if (!reply.is_object() || reply.value("id", 0) != id) continue;  // an event
    if (reply.contains("error"))
      throw std::runtime_error(method + " failed: " + reply["error"].dump());
    return reply.value("result", json::object());
  }
}

void headless_chromium::navigate(const std::string& url) {
  call("Page.navigate", {{"url", url}});
}

json headless_chromium::evaluate(const std::string& expression) {
  auto r = call("Runtime.evaluate",
                {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (r.contains("exceptionDetails"))
    throw std::runtime_error("page script threw: " + r["exceptionDetails"].dump());
  return r["result"].value("value", json());
}

bool headless_chromium::wait_until(const std::string& expression,
                                   std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    try {
      auto v = evaluate("Boolean(" + expression + ")");
      if (v.is_boolean() && v.get<bool>()) return true;
    } catch (const std::runtime_error&) {
      // The page is still loading: its scripts' names do not exist yet.
    }
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

std::string headless_chromium::screenshot_png() {
  return base64_decode(call("Page.captureScreenshot", {{"format", "png"}})["data"]);
}

}  // namespace vpnbot::testing_support
