#include "bench/support/lean_bot_api.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

namespace vpnbot::bench {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view bot_user =
    R"({"id":123456,"is_bot":true,"first_name":"VPN bench bot","username":"vpnbot_bench_bot"})";

// The integer after `"key":` in a compact JSON body (what nlohmann's dump
// writes); the bench's bot never sends these keys nested, so no full parse.
std::optional<int64_t> int_field(std::string_view body, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  auto at = body.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  auto start = body.data() + at + needle.size();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(start, body.data() + body.size(), value);
  if (ec != std::errc{} || end == start) return std::nullopt;
  return value;
}

std::string ok(std::string_view result) {
  std::string out;
  out.reserve(result.size() + 24);
  out.append(R"({"ok":true,"result":)").append(result).append("}");
  return out;
}

std::string message_result(int64_t chat_id, int64_t message_id) {
  std::string out = R"({"message_id":)" + std::to_string(message_id) + R"(,"from":)";
  out.append(bot_user)
      .append(R"(,"chat":{"id":)")
      .append(std::to_string(chat_id))
      .append(R"(,"type":"private"},"date":)")
      .append(std::to_string(std::time(nullptr)))
      .append(R"(,"text":"ok"})");
  return out;
}

bool is_reply(std::string_view method) {
  return method == "sendmessage" || method == "sendphoto" || method == "sendinvoice" ||
         method == "editmessagetext" || method == "editmessagereplymarkup";
}

bool is_acknowledgement(std::string_view method) {
  return method == "deletewebhook" || method == "setwebhook" || method == "setmycommands" ||
         method == "answercallbackquery" || method == "answerprecheckoutquery" ||
         method == "refundstarpayment" || method == "deletemessage";
}

class connection;

}  // namespace

struct lean_bot_api::impl {
  impl() {
    tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), 0};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept();
    thread = std::thread([this] { ioc.run(); });
  }

  ~impl() {
    ioc.stop();
    thread.join();
    parked.reset();
  }

  void accept();
  // io thread: answers the parked long poll if updates wait or it timed out.
  void serve_parked(bool timed_out);

  // The queued updates after `offset` (confirmed ones are dropped), as a JSON array.
  std::string take(int64_t offset, int64_t limit) {
    std::lock_guard lock{mutex};
    while (!updates.empty() && updates.front().first < offset) updates.pop_front();
    std::string out = "[";
    int64_t n = 0;
    for (const auto& [id, text] : updates) {
      if (n++ == limit) break;
      if (n > 1) out += ',';
      out += text;
    }
    out += ']';
    return out;
  }

  void count(std::string_view method) {
    std::lock_guard lock{mutex};
    auto it = calls.find(method);
    if (it == calls.end())
      calls.emplace(std::string(method), 1);
    else
      ++it->second;
  }

  void record_reply(int64_t chat_id, clock_type::time_point at) {
    {
      std::lock_guard lock{mutex};
      replies.push_back({chat_id, at});
    }
    replied.notify_all();
  }

  const std::string token = "123456:BENCH-lean-token";
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  uint16_t port = 0;

  mutable std::mutex mutex;  // updates, replies, calls
  mutable std::condition_variable replied;
  std::deque<std::pair<int64_t, std::string>> updates;
  int64_t next_update_id = 1;
  std::vector<reply_record> replies;
  std::map<std::string, std::size_t, std::less<>> calls;

  // io thread only.
  std::shared_ptr<connection> parked;
  int64_t next_message_id = 1;
};

namespace {

// One keep-alive connection; one request at a time, as HTTP/1.1 clients send.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(lean_bot_api::impl& owner, tcp::socket socket)
      : owner_(owner), stream_(std::move(socket)), poll_timer_(owner.ioc) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(16 << 20);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec) self->on_request();
                      });
  }

  // Answers a parked getUpdates with what is queued now.
  void answer_poll() {
    poll_timer_.cancel();
    write(200, ok(owner_.take(poll_offset_, poll_limit_)));
  }

  bool has_updates() {
    std::lock_guard lock{owner_.mutex};
    return std::any_of(owner_.updates.begin(), owner_.updates.end(),
                       [&](const auto& u) { return u.first >= poll_offset_; });
  }

 private:
  void on_request() {
    auto arrived = clock_type::now();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    std::string_view target = msg.target();
    target = target.substr(0, target.find('?'));
    auto prefix = "/bot" + owner_.token + "/";
    if (target.substr(0, prefix.size()) != prefix)
      return write(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})");
    std::string_view spelled = target.substr(prefix.size());
    owner_.count(spelled);
    std::string method(spelled);
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string& body = msg.body();

    if (method == "getupdates") return get_updates(body);
    if (is_reply(method)) {
      auto chat = int_field(body, "chat_id").value_or(0);
      owner_.record_reply(chat, arrived);
      auto id = method.rfind("edit", 0) == 0 ? int_field(body, "message_id").value_or(0)
                                             : owner_.next_message_id++;
      return write(200, ok(message_result(chat, id)));
    }
    if (is_acknowledgement(method)) return write(200, ok("true"));
    if (method == "getme") return write(200, ok(bot_user));
    if (method == "getwebhookinfo")
      return write(200,
                   ok(R"({"url":"","has_custom_certificate":false,"pending_update_count":0})"));
    write(404, R"({"ok":false,"error_code":404,"description":"Not Found: method not found"})");
  }

  void get_updates(const std::string& body) {
    poll_offset_ = int_field(body, "offset").value_or(0);
    poll_limit_ = std::clamp<int64_t>(int_field(body, "limit").value_or(100), 1, 100);
    auto timeout = int_field(body, "timeout").value_or(0);
    if (timeout <= 0 || has_updates())
      return write(200, ok(owner_.take(poll_offset_, poll_limit_)));
    // A newer poll ends an older one, as Telegram does (it answers 409; an
    // empty batch keeps the bench's logs quiet).
    if (owner_.parked && owner_.parked.get() != this) owner_.parked->answer_poll();
    owner_.parked = shared_from_this();
    poll_timer_.expires_after(std::chrono::seconds(timeout));
    poll_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->owner_.parked == self) self->owner_.serve_parked(true);
    });
  }

  void write(int status, std::string body) {
    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(status));
    response_->set(bhttp::field::content_type, "application/json");
    response_->keep_alive(keep_alive_);
    response_->body() = std::move(body);
    response_->prepare_payload();
    bhttp::async_write(stream_, *response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec || !self->keep_alive_) return self->stream_.socket().close();
                         self->read();
                       });
  }

  lean_bot_api::impl& owner_;
  beast::tcp_stream stream_;
  net::steady_timer poll_timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  bool keep_alive_ = true;
  int64_t poll_offset_ = 0;
  int64_t poll_limit_ = 100;
};

}  // namespace

void lean_bot_api::impl::accept() {
  acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    socket.set_option(tcp::no_delay(true));
    std::make_shared<connection>(*this, std::move(socket))->read();
    accept();
  });
}

void lean_bot_api::impl::serve_parked(bool timed_out) {
  if (!parked || (!timed_out && !parked->has_updates())) return;
  auto poll = std::move(parked);
  parked.reset();
  poll->answer_poll();
}

lean_bot_api::lean_bot_api() : impl_(std::make_unique<impl>()) {}

lean_bot_api::~lean_bot_api() = default;

std::string lean_bot_api::api_base() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

const std::string& lean_bot_api::token() const {
  return impl_->token;
}

uint16_t lean_bot_api::port() const {
  return impl_->port;
}

void lean_bot_api::push_text(int64_t user_id, int64_t message_id, std::string_view text) {
  auto user = std::to_string(user_id);
  auto from = R"({"id":)" + user + R"(,"is_bot":false,"first_name":"User )" + user +
              R"(","language_code":"en"})";
  auto chat = R"({"id":)" + user + R"(,"type":"private","first_name":"User )" + user + R"("})";
  auto message = R"({"message_id":)" + std::to_string(message_id) + R"(,"from":)" + from +
                 R"(,"chat":)" + chat + R"(,"date":)" + std::to_string(std::time(nullptr)) +
                 R"(,"text":)" + nlohmann::json(text).dump() + "}";
  {
    std::lock_guard lock{impl_->mutex};
    auto id = impl_->next_update_id++;
    impl_->updates.emplace_back(
        id, R"({"update_id":)" + std::to_string(id) + R"(,"message":)" + message + "}");
  }
  net::post(impl_->ioc, [s = impl_.get()] { s->serve_parked(false); });
}

std::size_t lean_bot_api::reply_count() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->replies.size();
}

std::vector<reply_record> lean_bot_api::replies() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->replies;
}

bool lean_bot_api::wait_for_replies(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock{impl_->mutex};
  return impl_->replied.wait_for(lock, timeout, [&] { return impl_->replies.size() >= n; });
}

std::size_t lean_bot_api::calls(const std::string& method) const {
  std::lock_guard lock{impl_->mutex};
  auto it = impl_->calls.find(method);
  return it == impl_->calls.end() ? 0 : it->second;
}

std::map<std::string, std::size_t> lean_bot_api::calls_by_method() const {
  std::lock_guard lock{impl_->mutex};
  return {impl_->calls.begin(), impl_->calls.end()};
}

}  // namespace vpnbot::bench
