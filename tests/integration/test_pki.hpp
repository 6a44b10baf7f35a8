#pragma once
// Certificates for TLS tests, made by the openssl command at test time in a test's folder. Each
// CA is an `openssl ca` database in its own subfolder, so that it can issue a certificate whose
// validity is already over (-startdate/-enddate), revoke one and publish its CRL.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace swhub::testing {

class TestCa {
 public:
  // Makes `folder/name/` with a self-signed CA (CN=name, P-256 key, valid two days).
  TestCa(const std::filesystem::path& folder, const std::string& name) : dir_(folder / name), name_(name) {
    std::filesystem::create_directories(dir_ / "newcerts");
    write("index.txt", "");
    write("serial", "1000\n");
    write("crlnumber", "1000\n");
    write("ca.cnf",
          "[ ca ]\ndefault_ca = test_ca\n"
          "[ test_ca ]\ndir = .\ncertificate = ca.pem\nprivate_key = ca.key\ndatabase = index.txt\n"
          "new_certs_dir = newcerts\nserial = serial\ncrlnumber = crlnumber\ndefault_md = sha256\n"
          "default_days = 2\ndefault_crl_days = 2\npolicy = policy_any\nunique_subject = no\n"
          "copy_extensions = copy\n"
          "[ policy_any ]\ncommonName = supplied\n");
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj /CN=" + name);
  }

  // A certificate `file`.pem with its key `file`.key, subject CN=cn, issued by this CA. `expired`:
  // valid for one day in 2020 only. `serverIp`: a server certificate for that address.
  std::string issue(const std::string& file, const std::string& cn, bool expired = false,
                    const std::string& serverIp = "") {
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + file + ".key -out " + file +
        ".csr -subj /CN=" + cn + (serverIp.empty() ? "" : " -addext subjectAltName=IP:" + serverIp));
    run("openssl ca -config ca.cnf -batch -notext -in " + file + ".csr -out " + file + ".pem" +
        (expired ? " -startdate 20200101000000Z -enddate 20200102000000Z" : ""));
    return pem(file);
  }

  void revoke(const std::string& file) { run("openssl ca -config ca.cnf -revoke " + file + ".pem"); }

  // The CA's current CRL (every certificate revoked so far), PEM; returns its path.
  std::string crl() {
    run("openssl ca -config ca.cnf -gencrl -out ca.crl");
    return (dir_ / "ca.crl").string();
  }

  std::string pem(const std::string& file) const { return (dir_ / (file + ".pem")).string(); }
  std::string key(const std::string& file) const { return (dir_ / (file + ".key")).string(); }
  std::string caPem() const { return pem("ca"); }

 private:
  void write(const std::string& file, const std::string& text) { std::ofstream(dir_ / file) << text; }

  void run(const std::string& command) {
    const std::string full = "cd '" + dir_.string() + "' && " + command + " >> openssl.log 2>&1";
    if (std::system(full.c_str()) != 0) {
      std::ifstream log(dir_ / "openssl.log");
      std::stringstream text;
      text << log.rdbuf();
      throw std::runtime_error("openssl failed (" + name_ + "): " + command + "\n" + text.str());
    }
  }

  std::filesystem::path dir_;
  std::string name_;
};

}  // namespace swhub::testing
