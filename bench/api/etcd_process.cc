#include "bench/api/etcd_process.h"

#include <stdio.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "kernel/api/tls/file_util.h"

namespace berth::bench {

std::string EtcdVersion(const std::string& binary) {
  FILE* pipe = popen((binary + " --version 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  char line[256] = {0};
  if (fgets(line, sizeof(line), pipe) == nullptr) line[0] = 0;
  pclose(pipe);
  std::string s = line;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

namespace {

// A throwaway CA and one certificate for 127.0.0.1 made with the openssl
// command. The certificate serves etcd and is also the client's: etcd 3.4's
// JSON gateway dials etcd's own gRPC port with the serving certificate, so
// with --client-cert-auth it must carry clientAuth besides serverAuth (a
// serverAuth-only certificate makes every gateway call fail with "connection
// closed").
Status MakePki(const std::string& dir) {
  const std::string ext = dir + "/ext.cnf";
  {
    std::ofstream out(ext);
    out << "[leaf]\nbasicConstraints=CA:FALSE\n"
           "keyUsage=digitalSignature,keyEncipherment\n"
           "extendedKeyUsage=serverAuth,clientAuth\n"
           "subjectAltName=IP:127.0.0.1\n";
  }
  const std::string q = "'" + dir + "'";
  const std::string cmd =
      "cd " + q +
      " && (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
      "-nodes -keyout ca.key -out ca.crt -subj /CN=bench-etcd-ca -days 2 "
      "&& openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-keyout etcd.key -out etcd.csr -subj /CN=bench-etcd "
      "&& openssl x509 -req -in etcd.csr -CA ca.crt -CAkey ca.key "
      "-CAcreateserial -out etcd.crt -days 2 -extfile ext.cnf -extensions "
      "leaf) >openssl.log 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    return Status::Internal("openssl could not make the etcd certificates (" +
                            dir + "/openssl.log)");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<EtcdProcess>> EtcdProcess::Start(
    const std::string& binary, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (Status s = MakePki(dir); !s.ok()) return s;
  const std::string ca_file = dir + "/ca.crt", cert_file = dir + "/etcd.crt",
                    key_file = dir + "/etcd.key";
  auto client_port = FreeLoopbackPort();
  auto peer_port = FreeLoopbackPort();
  if (!client_port.ok()) return client_port.status();
  if (!peer_port.ok()) return peer_port.status();
  const std::string client_url =
      "https://127.0.0.1:" + std::to_string(*client_port);
  const std::string peer_url = "http://127.0.0.1:" + std::to_string(*peer_port);
  const std::string log = dir + "/etcd.log";
  auto child = ChildProcess::Spawn({binary,
                                    "--name",
                                    "bench",
                                    "--data-dir",
                                    dir + "/data",
                                    "--listen-client-urls",
                                    client_url,
                                    "--advertise-client-urls",
                                    client_url,
                                    "--listen-peer-urls",
                                    peer_url,
                                    "--initial-advertise-peer-urls",
                                    peer_url,
                                    "--initial-cluster",
                                    "bench=" + peer_url,
                                    "--cert-file",
                                    cert_file,
                                    "--key-file",
                                    key_file,
                                    "--trusted-ca-file",
                                    ca_file,
                                    "--client-cert-auth",
                                    "--logger",
                                    "zap",
                                    "--log-level",
                                    "warn"},
                                   log);
  if (!child.ok()) return child.status();
  std::unique_ptr<EtcdProcess> p(new EtcdProcess());
  p->child_ = std::move(child).value();

  auto ca = tls::ReadFileToString(ca_file);
  auto cert = tls::ReadFileToString(cert_file);
  auto key = tls::ReadFileToString(key_file);
  if (!ca.ok() || !cert.ok() || !key.ok()) {
    return Status::Internal("cannot read the etcd certificates in " + dir);
  }
  auto config = TlsClientConfig::Make({*ca, *cert, *key});
  if (!config.ok()) return config.status();
  p->endpoint_ = Endpoint{"127.0.0.1", *client_port, *config};

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto conn = p->endpoint_.NewConnection();
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = conn->Request("GET", "/health");
    if (r.ok() && r->status == 200) return p;
    if (p->child_->Exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string tail = ss.str();
  if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
  return Status::Unavailable("etcd did not become healthy:\n" + tail);
}

}  // namespace berth::bench
