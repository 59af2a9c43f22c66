#include "tests/support/oci_registry.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/process.h"

namespace berth::testing {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string MissingRegistryTools() {
  for (const char* tool :
       {"docker-registry", "skopeo", "htpasswd", "openssl"}) {
    if (RunCommand(std::string("command -v ") + tool).exit_code != 0) {
      return std::string(tool) + " is not installed";
    }
  }
  if (access("/bin/busybox", X_OK) != 0) return "/bin/busybox is missing";
  return "";
}

std::string BuildOciImage(const std::string& out_dir,
                          const std::vector<std::string>& args) {
  std::string cmd =
      Quote(SourceDir() + "/tests/support/oci/make-oci-image.sh") + " " +
      Quote(out_dir);
  for (const auto& a : args) cmd += " " + Quote(a);
  auto r = RunCommand(cmd);
  return r.exit_code == 0 ? "" : r.out + r.err;
}

std::string BuildBusyboxImage(const std::string& out_dir,
                              const std::string& archive) {
  std::vector<std::string> args = {"--busybox"};
  if (!archive.empty()) {
    args.push_back("--archive");
    args.push_back(archive);
  }
  return BuildOciImage(out_dir, args);
}

RegistryServer::RegistryServer(Mode mode, std::string netns)
    : mode_(mode), netns_(std::move(netns)) {}

RegistryServer::~RegistryServer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
}

bool RegistryServer::Start() {
  const std::string& d = dir_.path();
  if (d.empty()) return false;
  std::ostringstream auth, tls;
  if (mode_ == Mode::kBasicAuth) {
    auto r = RunCommand("htpasswd -Bbn " + Quote(kUser) + " " +
                        Quote(kPassword) + " > " + Quote(d + "/htpasswd"));
    if (r.exit_code != 0) return false;
    auth << "auth:\n  htpasswd:\n    realm: berth-test\n    path: " << d
         << "/htpasswd\n";
  }
  if (mode_ == Mode::kTls) {
    auto r = RunCommand(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
        "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        Quote(d + "/key.pem") + " -out " + Quote(ca_file()));
    if (r.exit_code != 0) return false;
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    // A namespace of the test's own has every port free.
    int port = netns_.empty() ? FreePort() : 5000 + static_cast<int>(mode_);
    host_ = "127.0.0.1:" + std::to_string(port);
    if (mode_ == Mode::kTls) {
      tls << "  tls:\n    certificate: " << ca_file() << "\n    key: " << d
          << "/key.pem\n";
    }
    std::ofstream(d + "/config.yml")
        << "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
        << "    rootdirectory: " << d << "/data\n  delete:\n    enabled: true\n"
        << "http:\n  addr: " << host_ << "\n"
        << tls.str() << auth.str();
    tls.str("");
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open((d + "/registry.log").c_str(),
                    O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      const std::string config = d + "/config.yml";
      if (netns_.empty()) {
        execlp("docker-registry", "docker-registry", "serve", config.c_str(),
               static_cast<char*>(nullptr));
      } else {
        const std::string net = "--net=/var/run/netns/" + netns_;
        execlp("nsenter", "nsenter", net.c_str(), "docker-registry", "serve",
               config.c_str(), static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (netns_.empty()
              ? Accepts(port)
              : RunCommand("nsenter --net=/var/run/netns/" + netns_ +
                           " nc -z 127.0.0.1 " + std::to_string(port))
                        .exit_code == 0) {
        return true;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;  // most likely the port was taken meanwhile: try another
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ > 0) return false;
  }
  return false;
}

std::string RegistryServer::Push(const std::string& oci_dir,
                                 const std::string& repo,
                                 const std::string& tag,
                                 bool docker_media_types) {
  std::string cmd =
      (netns_.empty() ? "" : "nsenter --net=/var/run/netns/" + netns_ + " ") +
      "skopeo copy --all --dest-tls-verify=false";
  if (docker_media_types) cmd += " --format v2s2";
  if (mode_ == Mode::kBasicAuth) {
    cmd += " --dest-creds " + Quote(std::string(kUser) + ":" + kPassword);
  }
  cmd += " " + Quote("oci:" + oci_dir + ":" + tag) + " " +
         Quote("docker://" + host_ + "/" + repo + ":" + tag);
  auto r = RunCommand(cmd);
  return r.exit_code == 0 ? "" : r.out + r.err;
}

std::string RegistryServer::log() const {
  return ReadAll(dir_.path() + "/registry.log");
}

}  // namespace berth::testing
