#include "adapters/panel/link.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

// The expected links are written by hand from PROTOCOLS.md §1.7: keys
// sorted, values QueryEscaped ('/' %2F, ',' %2C, space '+'), the remark
// escaped like Go's URL.String (space %20, UTF-8 as %XX).

const std::string uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";

// Scripted randomness: returns the given indices in order and records the
// bounds it was asked for.
struct scripted {
  std::vector<std::size_t> values;
  std::vector<std::size_t> bounds;
  std::size_t next = 0;
  random_index fn() {
    return [this](std::size_t bound) {
      bounds.push_back(bound);
      return next < values.size() ? values[next++] : 0;
    };
  }
};

// Indices of "Ab3xQ9kLm2Pz7Yt" in the panel's alphabet 0-9a-zA-Z.
const std::vector<std::size_t> spx_indices = {36, 11, 3,  33, 52, 9,  20, 47,
                                              22, 2,  51, 35, 7,  60, 29};

xui_inbound inbound(json stream, std::string remark = "Main", std::string listen = "",
                    int port = 443) {
  xui_inbound in;
  in.id = 3;
  in.remark = std::move(remark);
  in.listen = std::move(listen);
  in.port = port;
  in.protocol = "vless";
  in.settings = {{"clients", json::array()}, {"decryption", "none"}, {"encryption", "none"}};
  in.stream_settings = std::move(stream);
  return in;
}

xui_client client(std::string email = "tg123-7", std::string flow = "xtls-rprx-vision") {
  xui_client c;
  c.id = uuid;
  c.email = std::move(email);
  c.flow = std::move(flow);
  return c;
}

link_settings settings(scripted& r) {
  link_settings s;
  s.public_host = "203.0.113.5";
  s.random = r.fn();
  return s;
}

std::string one_link(const xui_inbound& in, const xui_client& c, const link_settings& s) {
  auto links = vless_links(in, c, s);
  if (!links) return "error: " + caf::to_string(links.error());
  return links->size() == 1 ? links->front() : "links: " + std::to_string(links->size());
}

TEST(LinkVless, RealityOverTcpWithVisionFlowFromRecordedInbound) {
  // streamSettings exactly as the panel stores it: a JSON string.
  json recorded = {
      {"id", 3},
      {"remark", "Main"},
      {"enable", true},
      {"listen", ""},
      {"port", 443},
      {"protocol", "vless"},
      {"settings",
       R"({"clients":[{"id":")" + uuid +
           R"(","flow":"xtls-rprx-vision","email":"tg123-7","tgId":"","enable":true}],"decryption":"none","encryption":"none"})"},
      {"streamSettings",
       R"({"network":"tcp","security":"reality","externalProxy":[],"realitySettings":{"show":false,"xver":0,"target":"www.google.com:443","serverNames":["www.google.com","www.bing.com"],"privateKey":"priv","shortIds":["6ba85179","a1"],"settings":{"publicKey":"PUBKEY","fingerprint":"chrome","serverName":"","spiderX":"/"}},"tcpSettings":{"acceptProxyProtocol":false,"header":{"type":"none"}}})"}};
  auto in = parse_inbound(recorded);
  ASSERT_TRUE(in);
  scripted r;
  r.values = {1, 0};
  r.values.insert(r.values.end(), spx_indices.begin(), spx_indices.end());
  EXPECT_EQ(one_link(*in, *in->find_client("tg123-7"), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
            "?encryption=none&flow=xtls-rprx-vision&fp=chrome&pbk=PUBKEY&security=reality"
            "&sid=6ba85179&sni=www.bing.com&spx=%2FAb3xQ9kLm2Pz7Yt&type=tcp#Main-tg123-7");
  // sni, then sid, then the 15 characters of spx.
  std::vector<std::size_t> bounds = {2, 2};
  bounds.insert(bounds.end(), 15, 62);
  EXPECT_EQ(r.bounds, bounds);
}

TEST(LinkVless, TlsOverWsWithPathHostAlpnAndUtf8Remark) {
  json stream = {
      {"network", "ws"},
      {"security", "tls"},
      {"tlsSettings",
       {{"serverName", "vpn.example.com"},
        {"alpn", {"h2", "http/1.1"}},
        {"settings", {{"fingerprint", "firefox"}, {"allowInsecure", false}}}}},
      {"wsSettings",
       {{"path", "/ws path"}, {"host", ""}, {"headers", {{"Host", "cdn.example.com"}}}}}};
  scripted r;
  // The flow is dropped: it belongs to tcp only.
  EXPECT_EQ(
      one_link(inbound(stream, "Европа 1", "198.51.100.7", 8443), client("tg5-9"), settings(r)),
      "vless://b831381d-6324-4d53-ad4f-8cda48b30811@198.51.100.7:8443"
      "?alpn=h2%2Chttp%2F1.1&encryption=none&fp=firefox&host=cdn.example.com"
      "&path=%2Fws+path&security=tls&sni=vpn.example.com&type=ws"
      "#%D0%95%D0%B2%D1%80%D0%BE%D0%BF%D0%B0%201-tg5-9");
  EXPECT_TRUE(r.bounds.empty());
}

TEST(LinkVless, GrpcWithServiceNameAuthorityAndMultiMode) {
  json stream = {
      {"network", "grpc"},
      {"security", "none"},
      {"grpcSettings",
       {{"serviceName", "svc/name"}, {"authority", "grpc.example.com"}, {"multiMode", true}}}};
  scripted r;
  EXPECT_EQ(one_link(inbound(stream, "Main", "0.0.0.0", 2083), client("tg1-2"), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:2083"
            "?authority=grpc.example.com&encryption=none&mode=multi&security=none"
            "&serviceName=svc%2Fname&type=grpc#Main-tg1-2");
  stream["grpcSettings"]["multiMode"] = false;
  stream["grpcSettings"].erase("authority");
  EXPECT_EQ(one_link(inbound(stream, "Main", "::"), client("tg1-2"), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
            "?authority=&encryption=none&security=none&serviceName=svc%2Fname&type=grpc"
            "#Main-tg1-2");
}

TEST(LinkVless, HttpUpgradeWithTlsAndEmptyFingerprint) {
  json stream = {
      {"network", "httpupgrade"},
      {"security", "tls"},
      {"tlsSettings", {{"serverName", "up.example.com"}, {"settings", {{"fingerprint", ""}}}}},
      {"httpupgradeSettings", {{"path", "/up"}, {"host", "up.example.com"}}}};
  scripted r;
  EXPECT_EQ(one_link(inbound(stream), client(), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
            "?encryption=none&fp=&host=up.example.com&path=%2Fup&security=tls"
            "&sni=up.example.com&type=httpupgrade#Main-tg123-7");
}

TEST(LinkVless, XhttpModeWithRealityAndPqv) {
  json stream = {
      {"network", "xhttp"},
      {"security", "reality"},
      {"realitySettings",
       {{"serverNames", {"a.example"}},
        {"shortIds", {""}},
        {"settings", {{"publicKey", "PK"}, {"fingerprint", ""}, {"mldsa65Verify", "PQV"}}}}},
      {"xhttpSettings",
       {{"path", "/x"}, {"host", ""}, {"headers", json::object()}, {"mode", "stream-one"}}}};
  scripted r;  // all zeros: first names, "/000000000000000"
  EXPECT_EQ(one_link(inbound(stream), client(), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
            "?encryption=none&host=&mode=stream-one&path=%2Fx&pbk=PK&pqv=PQV&security=reality"
            "&sid=&sni=a.example&spx=%2F000000000000000&type=xhttp#Main-tg123-7");
}

TEST(LinkVless, TcpHttpHeaderWithoutSecurity) {
  json stream = {{"network", "tcp"},
                 {"tcpSettings",
                  {{"header",
                    {{"type", "http"},
                     {"request",
                      {{"path", {"/a b", "/other"}},
                       {"headers", {{"host", {"h1.example", "h2.example"}}}}}}}}}}};
  scripted r;
  EXPECT_EQ(one_link(inbound(stream), client(), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
            "?encryption=none&headerType=http&host=h1.example&path=%2Fa+b&security=none"
            "&type=tcp#Main-tg123-7");
}

TEST(LinkVless, RemarkModelAndEscaping) {
  json stream = {{"network", "tcp"}, {"security", "none"}};
  scripted r;
  auto s = settings(r);
  const std::string base =
      "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
      "?encryption=none&security=none&type=tcp";
  EXPECT_EQ(one_link(inbound(stream, ""), client(), s), base + "#tg123-7");
  EXPECT_EQ(one_link(inbound(stream, "a#b/c?d 100%"), client(), s),
            base + "#a%23b/c?d%20100%25-tg123-7");
  s.remark_model = "_ei";
  EXPECT_EQ(one_link(inbound(stream), client(), s), base + "#tg123-7_Main");
  s.remark_model = "-i";
  EXPECT_EQ(one_link(inbound(stream, ""), client(), s), base);
}

TEST(LinkVless, ExternalProxiesYieldOneLinkEach) {
  json stream = {
      {"network", "tcp"},
      {"security", "tls"},
      {"tlsSettings",
       {{"serverName", "vpn.example.com"},
        {"alpn", {"h2"}},
        {"settings", {{"fingerprint", "chrome"}}}}},
      {"externalProxy",
       {{{"forceTls", "same"}, {"dest", "cdn1.example.com"}, {"port", 443}, {"remark", "CDN"}},
        {{"forceTls", "none"}, {"dest", "198.51.100.9"}, {"port", 80}, {"remark", ""}}}}};
  scripted r;
  auto links = vless_links(inbound(stream), client(), settings(r));
  ASSERT_TRUE(links);
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0],
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@cdn1.example.com:443"
            "?alpn=h2&encryption=none&flow=xtls-rprx-vision&fp=chrome&security=tls"
            "&sni=vpn.example.com&type=tcp#Main-tg123-7-CDN");
  EXPECT_EQ((*links)[1],
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@198.51.100.9:80"
            "?encryption=none&flow=xtls-rprx-vision&security=none&type=tcp#Main-tg123-7");
}

TEST(LinkVless, RealityWithoutSettingsIsJustTheSecurityName) {
  scripted r;
  EXPECT_EQ(
      one_link(inbound({{"network", "tcp"}, {"security", "reality"}, {"realitySettings", nullptr}}),
               client(), settings(r)),
      "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443"
      "?encryption=none&flow=xtls-rprx-vision&security=reality&type=tcp#Main-tg123-7");
  EXPECT_TRUE(r.bounds.empty());
}

TEST(LinkVless, Ipv6ListenIsBracketed) {
  scripted r;
  EXPECT_EQ(one_link(inbound({{"network", "tcp"}}, "", "2001:db8::1"), client(), settings(r)),
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@[2001:db8::1]:443"
            "?encryption=none&security=none&type=tcp#tg123-7");
}

TEST(LinkVless, InboundsThePanelCannotShareAreErrors) {
  scripted r;
  auto code = [&](xui_inbound in, link_settings s) {
    auto links = vless_links(in, client(), s);
    return links ? std::nullopt : panel_error_code(links.error());
  };
  auto s = settings(r);
  auto vmess = inbound({{"network", "tcp"}});
  vmess.protocol = "vmess";
  EXPECT_EQ(code(vmess, s), panel_errc::unsupported_inbound);
  EXPECT_EQ(code(inbound({{"network", "kcp"}}), s), panel_errc::unsupported_inbound);
  EXPECT_EQ(code(inbound(json::object()), s), panel_errc::unsupported_inbound);
  EXPECT_EQ(code(inbound({{"network", "ws"}, {"wsSettings", {{"host", "x"}}}}), s),
            panel_errc::unsupported_inbound);
  EXPECT_EQ(
      code(inbound({{"network", "tcp"},
                    {"security", "reality"},
                    {"realitySettings", {{"serverNames", {"a"}}, {"shortIds", json::array()}}}}),
           s),
      panel_errc::unsupported_inbound);
  auto no_host = s;
  no_host.public_host.clear();
  EXPECT_EQ(code(inbound({{"network", "tcp"}}), no_host), panel_errc::invalid_argument);
}

TEST(LinkVless, SecureRandomIndexStaysInBounds) {
  for (std::size_t bound : {1u, 2u, 7u, 62u})
    for (int i = 0; i < 200; ++i) EXPECT_LT(secure_random_index(bound), bound);
  EXPECT_THROW(secure_random_index(0), std::invalid_argument);
}

TEST(LinkSubscription, BaseFollowedBySubId) {
  EXPECT_EQ(subscription_url("https://sub.example.com:2096/sub/", "k3j9x0a1b2c3d4e5"),
            "https://sub.example.com:2096/sub/k3j9x0a1b2c3d4e5");
}

}  // namespace
}  // namespace vpnbot::panel
