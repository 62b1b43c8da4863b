#include "adapters/emulators/telegram/bot_api_emulator.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/emulators/fake_http_server.hpp"
#include "adapters/emulators/http_call.hpp"

namespace vpnbot::emulators {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;
using reply_fn = std::function<void(http_response)>;

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void parse_pairs(const std::string& text, json& into) {
  size_t pos = 0;
  while (pos < text.size()) {
    auto amp = text.find('&', pos);
    auto pair = text.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = pair.find('=');
    if (!pair.empty())
      into[url_decode(pair.substr(0, eq))] =
          eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
}

std::string header_param(const std::string& header, const std::string& name) {
  auto at = header.find(name + "=\"");
  if (at == std::string::npos) return {};
  auto start = at + name.size() + 2;
  return header.substr(start, header.find('"', start) - start);
}

// Files go into `into` as {filename, size}, their bytes into `files`.
void parse_multipart(const std::string& body, const std::string& content_type, json& into,
                     std::map<std::string, std::string>& files) {
  auto b = content_type.find("boundary=");
  if (b == std::string::npos) return;
  auto boundary = "--" + content_type.substr(b + 9);
  size_t pos = body.find(boundary);
  while (pos != std::string::npos) {
    pos += boundary.size();
    if (body.compare(pos, 2, "--") == 0) break;
    auto headers_end = body.find("\r\n\r\n", pos);
    auto next = body.find("\r\n" + boundary, headers_end);
    if (headers_end == std::string::npos || next == std::string::npos) break;
    auto headers = body.substr(pos, headers_end - pos);
    auto content = body.substr(headers_end + 4, next - headers_end - 4);
    auto name = header_param(headers, "name");
    auto filename = header_param(headers, "filename");
    if (filename.empty()) {
      into[name] = content;
    } else {
      into[name] = {{"filename", filename}, {"size", content.size()}};
      files[name] = content;
    }
    pos = body.find(boundary, next + 2);
  }
}

json parameters(const http_request& r, std::map<std::string, std::string>& files) {
  json params = json::object();
  parse_pairs(r.query, params);
  const std::string* type = r.header("content-type");
  std::string content_type = type ? *type : "";
  if (content_type.rfind("application/json", 0) == 0 && !r.body.empty()) {
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_object())
      for (auto& [k, v] : body.items()) params[k] = v;
  } else if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    parse_pairs(r.body, params);
  } else if (content_type.rfind("multipart/form-data", 0) == 0) {
    parse_multipart(r.body, content_type, params, files);
  }
  return params;
}

std::optional<int64_t> as_int(const json& params, const char* key) {
  if (!params.contains(key)) return std::nullopt;
  const auto& v = params[key];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// reply_markup arrives as an object (JSON bodies) or a serialized string (forms).
json markup_of(const json& params) {
  if (!params.contains("reply_markup")) return nullptr;
  const auto& m = params["reply_markup"];
  return m.is_string() ? json::parse(m.get<std::string>(), nullptr, false) : m;
}

http_response ok(json result) {
  return {200, "application/json", {}, json{{"ok", true}, {"result", std::move(result)}}.dump()};
}

http_response bot_api_error(int code, const std::string& description,
                            std::optional<int> retry_after = std::nullopt) {
  json body{{"ok", false}, {"error_code", code}, {"description", description}};
  if (retry_after) body["parameters"] = {{"retry_after", *retry_after}};
  return {code, "application/json", {}, body.dump()};
}

struct injected_failure {
  std::string method;
  int code;
  std::string description;
  std::optional<int> retry_after;
  int times;
};

// The name a chat message keeps of the method that made it.
std::string sending_method(const std::string& lower) {
  if (lower == "sendphoto") return "sendPhoto";
  if (lower == "sendinvoice") return "sendInvoice";
  return "sendMessage";
}

struct pending_poll {
  int64_t offset = 0;
  int64_t limit = 100;
  clock_type::time_point deadline;
  reply_fn reply;
  size_t call_index = 0;
};

}  // namespace

struct bot_api_emulator::state {
  bot_api_emulator_options opts;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::deque<json> updates;
  int64_t next_update_id = 1000;
  int64_t next_message_id = 1;
  std::map<std::pair<int64_t, int64_t>, chat_message> messages;
  std::map<int64_t, json> named_users;  // user id -> the "from" of their updates
  std::vector<bot_api_call> calls;
  std::vector<injected_failure> failures;
  std::set<int64_t> blocked;
  std::string webhook_url;
  std::optional<pending_poll> poll;
  bool stopping = false;
  std::thread poller;
  std::unique_ptr<fake_http_server> server;

  json bot_user() const {
    return {{"id", opts.bot_id},
            {"is_bot", true},
            {"first_name", "VPN test bot"},
            {"username", opts.bot_username}};
  }

  json message_json(int64_t chat_id, int64_t message_id, const chat_message& m) const {
    json msg{{"message_id", message_id},
             {"from", bot_user()},
             {"chat", {{"id", chat_id}, {"type", "private"}}},
             {"date", std::time(nullptr)},
             {"text", m.text}};
    if (!m.reply_markup.is_null()) msg["reply_markup"] = m.reply_markup;
    return msg;
  }

  // Takes confirmed updates off the queue and returns what is left after offset.
  json take(int64_t offset, int64_t limit) {
    while (!updates.empty() && updates.front()["update_id"].get<int64_t>() < offset)
      updates.pop_front();
    json out = json::array();
    for (const auto& u : updates) {
      if (static_cast<int64_t>(out.size()) >= limit) break;
      out.push_back(u);
    }
    return out;
  }

  // Called with the lock held; returns the answer, or nullopt for a parked long poll.
  std::optional<http_response> answer(const std::string& method, const json& params,
                                      const std::map<std::string, std::string>& files,
                                      reply_fn& reply, size_t call_index) {
    for (auto it = failures.begin(); it != failures.end(); ++it) {
      if (!it->method.empty() && it->method != method) continue;
      auto response = bot_api_error(it->code, it->description, it->retry_after);
      if (--it->times == 0) failures.erase(it);
      return response;
    }
    auto chat = as_int(params, "chat_id");
    if (chat && blocked.count(*chat))
      return bot_api_error(403, "Forbidden: bot was blocked by the user");
    if (method == "getme") return ok(bot_user());
    if (method == "getupdates") {
      if (!webhook_url.empty())
        return bot_api_error(409,
                             "Conflict: can't use getUpdates method while webhook is active; use "
                             "deleteWebhook to delete the webhook first");
      if (poll) {
        auto old = std::move(*poll);
        poll.reset();
        calls[old.call_index].status = 409;
        old.reply(
            bot_api_error(409,
                          "Conflict: terminated by other getUpdates request; make sure that only "
                          "one bot instance is running"));
      }
      auto offset = as_int(params, "offset").value_or(0);
      auto limit = as_int(params, "limit").value_or(100);
      auto timeout = as_int(params, "timeout").value_or(0);
      auto ready = take(offset, limit);
      if (!ready.empty() || timeout <= 0) return ok(ready);
      poll = pending_poll{offset, limit, clock_type::now() + std::chrono::seconds(timeout),
                          std::move(reply), call_index};
      changed.notify_all();
      return std::nullopt;
    }
    if (method == "setwebhook") {
      webhook_url = params.value("url", "");
      return ok(true);
    }
    if (method == "deletewebhook") {
      webhook_url.clear();
      return ok(true);
    }
    if (method == "getwebhookinfo")
      return ok({{"url", webhook_url},
                 {"has_custom_certificate", false},
                 {"pending_update_count", updates.size()}});
    if (method == "sendmessage" || method == "sendphoto" || method == "sendinvoice") {
      if (!chat) return bot_api_error(400, "Bad Request: chat_id is empty");
      chat_message m;
      m.method = sending_method(method);
      m.text = params.value("text", params.value("caption", params.value("description", "")));
      m.parse_mode = params.value("parse_mode", "");
      m.reply_markup = markup_of(params);
      if (auto photo = files.find("photo"); photo != files.end()) m.photo = photo->second;
      if (method == "sendinvoice")
        for (const char* key : {"title", "description", "currency", "prices"})
          if (params.contains(key)) m.invoice[key] = params[key];
      auto id = next_message_id++;
      m.message_id = id;
      messages[{*chat, id}] = m;
      calls[call_index].message_id = id;
      return ok(message_json(*chat, id, m));
    }
    if (method == "editmessagetext" || method == "editmessagereplymarkup") {
      auto message_id = as_int(params, "message_id");
      auto it = messages.find({chat.value_or(0), message_id.value_or(0)});
      if (it == messages.end()) return bot_api_error(400, "Bad Request: message to edit not found");
      chat_message next = it->second;
      if (method == "editmessagetext") {
        next.text = params.value("text", "");
        next.parse_mode = params.value("parse_mode", "");
      }
      next.reply_markup = markup_of(params);
      if (next.text == it->second.text && next.reply_markup == it->second.reply_markup)
        return bot_api_error(
            400,
            "Bad Request: message is not modified: specified new message content and "
            "reply markup are exactly the same as a current content and reply markup "
            "of the message");
      it->second = next;
      calls[call_index].message_id = it->first.second;
      return ok(message_json(it->first.first, it->first.second, next));
    }
    if (method == "answercallbackquery" || method == "answerprecheckoutquery" ||
        method == "refundstarpayment")
      return ok(true);
    // Recorded in calls() like every call; refused as Telegram does when
    // a command or its description is missing or too long.
    if (method == "setmycommands") {
      auto list = params.find("commands");
      if (list == params.end() || !list->is_array())
        return bot_api_error(400, "Bad Request: parameter \"commands\" is required");
      for (const auto& c : *list) {
        auto command = c.value("command", ""), description = c.value("description", "");
        if (command.empty() || command.size() > 32 || description.empty())
          return bot_api_error(400, "Bad Request: BOT_COMMAND_INVALID");
      }
      return ok(true);
    }
    return bot_api_error(404, "Not Found: method not found");
  }

  void handle(const http_request& r, reply_fn reply) {
    auto prefix = "/bot" + opts.token + "/";
    if (r.path.rfind("/bot", 0) != 0) {
      reply(bot_api_error(404, "Not Found"));
      return;
    }
    if (r.path.rfind(prefix, 0) != 0) {
      reply(bot_api_error(401, "Unauthorized: invalid token specified"));
      return;
    }
    auto method = r.path.substr(prefix.size());
    std::string lower = method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::map<std::string, std::string> files;
    auto params = parameters(r, files);
    std::optional<http_response> response;
    {
      std::lock_guard guard{mutex};
      calls.push_back({method, params, clock_type::now(), 200});
      response = answer(lower, params, files, reply, calls.size() - 1);
      if (response) calls.back().status = response->status;
      changed.notify_all();
    }
    if (response) reply(std::move(*response));
  }

  // Answers the parked long poll when updates arrive or its timeout passes.
  void run_poller() {
    std::unique_lock lock{mutex};
    while (!stopping) {
      if (!poll) {
        changed.wait(lock);
        continue;
      }
      auto ready = take(poll->offset, poll->limit);
      if (ready.empty() && clock_type::now() < poll->deadline) {
        changed.wait_until(lock, poll->deadline);
        continue;
      }
      auto done = std::move(*poll);
      poll.reset();
      lock.unlock();
      done.reply(ok(ready));
      lock.lock();
    }
  }
};

bot_api_emulator::bot_api_emulator(bot_api_emulator_options o) : state_(std::make_unique<state>()) {
  state_->opts = std::move(o);
  auto* s = state_.get();
  state_->server = std::make_unique<fake_http_server>(fake_http_server::async_handler{
      [s](const http_request& r, reply_fn reply) { s->handle(r, std::move(reply)); }});
  state_->poller = std::thread([s] { s->run_poller(); });
}

bot_api_emulator::~bot_api_emulator() {
  {
    std::lock_guard guard{state_->mutex};
    state_->stopping = true;
    if (state_->poll) state_->poll->reply(ok(json::array()));
    state_->poll.reset();
  }
  state_->changed.notify_all();
  state_->poller.join();
  state_->server.reset();
}

std::string bot_api_emulator::api_base() const {
  return state_->server->base_url();
}
const std::string& bot_api_emulator::token() const {
  return state_->opts.token;
}
uint16_t bot_api_emulator::port() const {
  return state_->server->port();
}

int64_t bot_api_emulator::push_update(nlohmann::json update) {
  std::lock_guard guard{state_->mutex};
  auto id = state_->next_update_id++;
  update["update_id"] = id;
  state_->updates.push_back(std::move(update));
  state_->changed.notify_all();
  return id;
}

void bot_api_emulator::name_user(int64_t user_id, std::string first_name, std::string username,
                                 std::string language_code) {
  std::lock_guard guard{state_->mutex};
  state_->named_users[user_id] = json{{"id", user_id},
                                      {"is_bot", false},
                                      {"first_name", std::move(first_name)},
                                      {"username", std::move(username)},
                                      {"language_code", std::move(language_code)}};
}

int64_t bot_api_emulator::push_text(int64_t user_id, const std::string& text,
                                    const std::string& language_code) {
  json from{{"id", user_id},
            {"is_bot", false},
            {"first_name", "User " + std::to_string(user_id)},
            {"language_code", language_code}};
  int64_t message_id = 0;
  {
    std::lock_guard guard{state_->mutex};
    if (auto named = state_->named_users.find(user_id); named != state_->named_users.end())
      from = named->second;
    message_id = state_->next_message_id++;
    chat_message m;
    m.message_id = message_id;
    m.from_user = true;
    m.text = text;
    state_->messages[{user_id, message_id}] = std::move(m);
  }
  return push_update({{"message",
                       {{"message_id", message_id},
                        {"from", from},
                        {"chat", {{"id", user_id}, {"type", "private"}}},
                        {"date", std::time(nullptr)},
                        {"text", text}}}});
}

int64_t bot_api_emulator::push_callback(int64_t user_id, int64_t message_id,
                                        const std::string& data) {
  json from{{"id", user_id}, {"is_bot", false}, {"first_name", "User " + std::to_string(user_id)}};
  {
    std::lock_guard guard{state_->mutex};
    if (auto named = state_->named_users.find(user_id); named != state_->named_users.end())
      from = named->second;
  }
  // Telegram gives every query its own id, even for the same button twice.
  static std::atomic<int64_t> queries{0};
  return push_update({{"callback_query",
                       {{"id", "cb-" + std::to_string(user_id) + "-" + std::to_string(++queries)},
                        {"from", from},
                        {"chat_instance", "ci-" + std::to_string(user_id)},
                        {"data", data},
                        {"message",
                         {{"message_id", message_id},
                          {"chat", {{"id", user_id}, {"type", "private"}}},
                          {"date", std::time(nullptr)}}}}}});
}

std::vector<chat_message> bot_api_emulator::chat(int64_t chat_id) const {
  std::lock_guard guard{state_->mutex};
  std::vector<chat_message> out;
  for (auto it = state_->messages.lower_bound({chat_id, 0});
       it != state_->messages.end() && it->first.first == chat_id; ++it)
    out.push_back(it->second);
  return out;
}

std::vector<bot_api_call> bot_api_emulator::calls(const std::string& method) const {
  std::lock_guard guard{state_->mutex};
  if (method.empty()) return state_->calls;
  std::vector<bot_api_call> out;
  for (const auto& c : state_->calls)
    if (c.method == method) out.push_back(c);
  return out;
}

std::vector<bot_api_call> bot_api_emulator::calls_from(std::size_t first) const {
  std::lock_guard guard{state_->mutex};
  if (first >= state_->calls.size()) return {};
  return {state_->calls.begin() + static_cast<std::ptrdiff_t>(first), state_->calls.end()};
}

bool bot_api_emulator::wait_for_calls(const std::string& method, std::size_t count,
                                      std::chrono::milliseconds timeout) const {
  std::unique_lock lock{state_->mutex};
  return state_->changed.wait_for(lock, timeout, [&] {
    size_t n = 0;
    for (const auto& c : state_->calls)
      if (method.empty() || c.method == method) ++n;
    return n >= count;
  });
}

void bot_api_emulator::fail_next(const std::string& method, int error_code,
                                 const std::string& description, std::optional<int> retry_after,
                                 int times) {
  std::lock_guard guard{state_->mutex};
  std::string lower = method;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  state_->failures.push_back({lower, error_code, description, retry_after, times});
}

void bot_api_emulator::block_chat(int64_t chat_id) {
  std::lock_guard guard{state_->mutex};
  state_->blocked.insert(chat_id);
}

void bot_api_emulator::delay_next(std::chrono::milliseconds delay, int times) {
  state_->server->inject(fake_fault::delay_by(delay), times);
}

json bot_api_emulator::text_update(int64_t id, int64_t user_id, const std::string& text) {
  json from{{"id", user_id}, {"is_bot", false}, {"first_name", "Eve"}, {"language_code", "en"}};
  return {{"update_id", id},
          {"message",
           {{"message_id", id},
            {"from", from},
            {"chat", {{"id", user_id}, {"type", "private"}}},
            {"date", 1700000000},
            {"text", text}}}};
}

int bot_api_emulator::post_to_webhook(uint16_t port, const std::string& path,
                                      const nlohmann::json& update,
                                      const std::optional<std::string>& secret_token) {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (secret_token) headers["X-Telegram-Bot-Api-Secret-Token"] = *secret_token;
  return http_call(port, "POST", path, update.dump(), headers).status;
}

}  // namespace vpnbot::emulators
