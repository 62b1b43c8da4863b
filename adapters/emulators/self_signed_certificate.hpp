#pragma once

// A throw-away TLS identity made at run time with the OpenSSL API, for test
// servers: EC P-256 key, self-signed, valid from an hour ago for a day, its
// own trust anchor (CA:TRUE), with the given names as subjectAltName.

#include <string>
#include <vector>

namespace vpnbot::emulators {

struct self_signed_certificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// `names`: DNS names and IP literals; the first is also the common name.
// Throws std::runtime_error when OpenSSL refuses.
self_signed_certificate make_self_signed_certificate(const std::vector<std::string>& names = {
                                                         "localhost", "127.0.0.1", "::1"});

}  // namespace vpnbot::emulators
