#include "kernel/api/tls/kubeconfig.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "kernel/api/tls/file_util.h"
#include "kernel/api/tls/openssl_util.h"
#include "kernel/api/tls/pki.h"
#include "tests/unit/tls/test_util.h"

namespace berth::tls {
namespace {

std::string Decode(const YAML::Node& node) {
  StatusOr<std::string> data = Base64Decode(node.as<std::string>());
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : "";
}

TEST(KubeconfigTest, CertificateKubeconfigHasInlineCredentials) {
  TempDir dir;
  StatusOr<PkiPaths> pki = EnsurePki(dir.path(), {});
  ASSERT_TRUE(pki.ok());
  const std::string ca = ReadOrFail(pki->ca_cert);
  const std::string cert = ReadOrFail(pki->admin_cert);
  const std::string key = ReadOrFail(pki->admin_key);

  YAML::Node config =
      YAML::Load(RenderKubeconfig("https://127.0.0.1:6443", ca, cert, key));
  EXPECT_EQ(config["apiVersion"].as<std::string>(), "v1");
  EXPECT_EQ(config["kind"].as<std::string>(), "Config");
  EXPECT_EQ(config["current-context"].as<std::string>(), "berth");

  ASSERT_EQ(config["clusters"].size(), 1u);
  YAML::Node cluster = config["clusters"][0];
  EXPECT_EQ(cluster["name"].as<std::string>(), "berth");
  EXPECT_EQ(cluster["cluster"]["server"].as<std::string>(),
            "https://127.0.0.1:6443");
  EXPECT_EQ(Decode(cluster["cluster"]["certificate-authority-data"]), ca);

  ASSERT_EQ(config["users"].size(), 1u);
  YAML::Node user = config["users"][0];
  EXPECT_EQ(user["name"].as<std::string>(), "admin");
  EXPECT_EQ(Decode(user["user"]["client-certificate-data"]), cert);
  EXPECT_EQ(Decode(user["user"]["client-key-data"]), key);
  EXPECT_FALSE(user["user"]["token"]);

  ASSERT_EQ(config["contexts"].size(), 1u);
  YAML::Node context = config["contexts"][0];
  EXPECT_EQ(context["name"].as<std::string>(), "berth");
  EXPECT_EQ(context["context"]["cluster"].as<std::string>(), "berth");
  EXPECT_EQ(context["context"]["user"].as<std::string>(), "admin");
}

TEST(KubeconfigTest, CustomNamesAreUsedEverywhere) {
  YAML::Node config = YAML::Load(RenderKubeconfig("https://h:1", "CA", "CERT",
                                                  "KEY", "prod: east", "jane"));
  EXPECT_EQ(config["current-context"].as<std::string>(), "prod: east");
  EXPECT_EQ(config["clusters"][0]["name"].as<std::string>(), "prod: east");
  EXPECT_EQ(config["contexts"][0]["context"]["user"].as<std::string>(), "jane");
  EXPECT_EQ(config["users"][0]["name"].as<std::string>(), "jane");
}

TEST(KubeconfigTest, TokenKubeconfig) {
  YAML::Node config = YAML::Load(
      RenderTokenKubeconfig("https://10.0.0.1:6443", "CA PEM", "abc123"));
  EXPECT_EQ(
      Decode(config["clusters"][0]["cluster"]["certificate-authority-data"]),
      "CA PEM");
  YAML::Node user = config["users"][0]["user"];
  EXPECT_EQ(user["token"].as<std::string>(), "abc123");
  EXPECT_FALSE(user["client-certificate-data"]);
  EXPECT_EQ(config["current-context"].as<std::string>(), "berth");
}

TEST(KubeconfigTest, WrittenPrivatelyAndReplacedWhole) {
  TempDir dir;
  const std::string path = dir.path() + "/home/.kube/config";
  ASSERT_TRUE(WriteKubeconfig(path, "first\n").ok());
  EXPECT_EQ(FileMode(path), 0600);
  ASSERT_TRUE(WriteKubeconfig(path, "second\n").ok());
  EXPECT_EQ(ReadOrFail(path), "second\n");
}

TEST(KubeconfigTest, Base64RoundTrip) {
  for (const std::string& s :
       {std::string(""), std::string("a"), std::string("ab"),
        std::string("abc"), std::string("\0\xff\x10", 3)}) {
    StatusOr<std::string> back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("abcd"), "YWJjZA==");
  EXPECT_FALSE(Base64Decode("YWJ*ZA==").ok());
}

TEST(KubeconfigReadTest, RenderedCertificateKubeconfigReadsBack) {
  auto c = ParseKubeconfig(
      RenderKubeconfig("https://127.0.0.1:6443", "CA", "CERT", "KEY"), "/");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server_url, "https://127.0.0.1:6443");
  EXPECT_EQ(c->ca_pem, "CA");
  EXPECT_EQ(c->client_cert_pem, "CERT");
  EXPECT_EQ(c->client_key_pem, "KEY");
  EXPECT_EQ(c->token, "");
  auto t =
      ParseKubeconfig(RenderTokenKubeconfig("https://h:1", "CA", "tok"), "/");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "tok");
  EXPECT_EQ(t->client_cert_pem, "");
}

TEST(KubeconfigReadTest, CurrentContextPicksClusterUserAndFilesRelative) {
  TempDir dir;
  ASSERT_TRUE(
      WriteFileAtomically(dir.path() + "/certs/ca.pem", "CAFILE", 0600).ok());
  ASSERT_TRUE(
      WriteFileAtomically(dir.path() + "/token.txt", "filetoken\n", 0600).ok());
  const std::string text = R"(apiVersion: v1
kind: Config
current-context: second
clusters:
- name: one
  cluster: {server: "https://one:1"}
- name: two
  cluster:
    server: https://two:2
    certificate-authority: certs/ca.pem
users:
- name: u2
  user: {tokenFile: token.txt}
contexts:
- name: first
  context: {cluster: one, user: u2}
- name: second
  context: {cluster: two, user: u2, namespace: team}
)";
  ASSERT_TRUE(WriteFileAtomically(dir.path() + "/config", text, 0600).ok());
  auto c = ReadKubeconfig(dir.path() + "/config");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server_url, "https://two:2");
  EXPECT_EQ(c->ca_pem, "CAFILE");
  EXPECT_EQ(c->token, "filetoken");
  EXPECT_EQ(c->namespace_, "team");
}

TEST(KubeconfigReadTest, BrokenKubeconfigsSayWhat) {
  auto no_context = ParseKubeconfig("apiVersion: v1\nkind: Config\n", "/");
  EXPECT_EQ(no_context.status().message(), "kubeconfig has no current-context");
  auto dangling = ParseKubeconfig(
      "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n",
      "/");
  EXPECT_EQ(dangling.status().message(),
            "kubeconfig: cluster \"c\" not found or has no server");
  EXPECT_EQ(ParseKubeconfig("a: [", "/").status().code(),
            Status::Code::kBadRequest);
  EXPECT_TRUE(ReadKubeconfig("/nonexistent/kubeconfig").status().IsNotFound());
}

}  // namespace
}  // namespace berth::tls
