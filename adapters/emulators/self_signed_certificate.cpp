#include "adapters/emulators/self_signed_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <memory>
#include <stdexcept>

namespace vpnbot::emulators {
namespace {

template <class T, void (*Free)(T*)>
using owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("self-signed certificate: ") + what);
}

std::string subject_alt_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(n, ec);
    out += (out.empty() ? "" : ",") + std::string(ec ? "DNS:" : "IP:") + n;
  }
  return out;
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  owned<X509_EXTENSION, X509_EXTENSION_free> ext{
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())};
  check(ext && X509_add_ext(cert, ext.get(), -1) == 1, "extension");
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

self_signed_certificate make_self_signed_certificate(const std::vector<std::string>& names) {
  check(!names.empty(), "no names");
  owned<EVP_PKEY, EVP_PKEY_free> key{EVP_EC_gen("P-256")};
  check(key != nullptr, "key generation");
  owned<X509, X509_free> cert{X509_new()};
  check(cert != nullptr, "X509_new");

  check(X509_set_version(cert.get(), 2) == 1, "version");
  unsigned char serial[8];
  check(RAND_bytes(serial, sizeof serial) == 1, "serial");
  serial[0] &= 0x7f;  // positive
  owned<BIGNUM, BN_free> bn{BN_bin2bn(serial, sizeof serial, nullptr)};
  check(bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())), "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "not before");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr, "not after");
  check(X509_set_pubkey(cert.get(), key.get()) == 1, "public key");

  X509_NAME* subject = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(names.front().c_str()),
                                   -1, -1, 0) == 1,
        "common name");
  check(X509_set_issuer_name(cert.get(), subject) == 1, "issuer");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), NID_subject_alt_name, subject_alt_names(names));
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signature");

  owned<BIO, BIO_free_all> cert_bio{BIO_new(BIO_s_mem())};
  owned<BIO, BIO_free_all> key_bio{BIO_new(BIO_s_mem())};
  check(cert_bio && PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "certificate PEM");
  check(key_bio && PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) == 1,
        "key PEM");
  return {drain(cert_bio.get()), drain(key_bio.get())};
}

}  // namespace vpnbot::emulators
