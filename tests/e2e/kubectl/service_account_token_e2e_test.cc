// End-to-end: `kubectl create token` (the TokenRequest API,
// serviceaccounts/token) against a real `berth server`, and the tokens it
// prints used as kubectl's only credential, as a user of Kubernetes does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "tests/support/kubectl.h"
#include "tests/support/kubectl_suite.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

// What kubectl prints for a 401, depending on the request that got it.
auto Refused() {
  return AnyOf(HasSubstr("Unauthorized"),
               HasSubstr("the server has asked for the client to provide "
                         "credentials"));
}

class KubectlCreateTokenTest : public KubectlSuite {
 protected:
  // kubectl with `token` as its only credential.
  static CommandResult KubectlWithToken(const std::string& token,
                                        const std::string& args) {
    const std::string empty = dir_->path() + "/empty.kubeconfig";
    if (!std::filesystem::exists(empty)) std::ofstream(empty) << "";
    return RunCommand(
        "kubectl --kubeconfig=" + empty + " --server=" + server_->url() +
            " --insecure-skip-tls-verify --token=" + token + " " + args,
        {{"HOME", dir_->path() + "/home"}});
  }
  // The token `kubectl create token <args>` prints.
  static std::string CreateToken(const std::string& args) {
    auto r = Kubectl("create token " + args);
    EXPECT_OK(r);
    std::string token = r.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) {
      token.pop_back();
    }
    return token;
  }
};

TEST_F(KubectlCreateTokenTest, DiscoveryListsTheTokenSubresource) {
  auto r = Kubectl("get --raw /api/v1");
  EXPECT_OK(r);
  EXPECT_THAT(
      r.out,
      HasSubstr(R"({"name":"serviceaccounts/token","singularName":"",)"
                R"("namespaced":true,"group":"authentication.k8s.io",)"
                R"("version":"v1","kind":"TokenRequest","verbs":["create"]})"));
}

TEST_F(KubectlCreateTokenTest, CreatedTokenAuthenticatesAsTheServiceAccount) {
  const std::string token = CreateToken("default");
  ASSERT_EQ(token.rfind("eyJ", 0), 0u) << token;
  auto pods = KubectlWithToken(token, "get pods -n default");
  EXPECT_OK(pods);
  auto who = KubectlWithToken(token, "auth whoami");
  EXPECT_OK(who);
  EXPECT_THAT(who.out, HasSubstr("system:serviceaccount:default:default"));
  EXPECT_THAT(who.out, HasSubstr("system:serviceaccounts:default"));
  // A token that is not one is refused.
  auto bad =
      KubectlWithToken(token.substr(0, token.size() - 4) + "AAAA", "get pods");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, Refused());
}

TEST_F(KubectlCreateTokenTest, DurationAndAudienceReachTheToken) {
  // `create token` prints only the token; the raw API shows the answer.
  const std::string body =
      R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",)"
      R"("spec":{"audiences":["vault"],"expirationSeconds":1200}})";
  auto raw = Kubectl(
      "create --raw /api/v1/namespaces/default/serviceaccounts/default/token "
      "-f -",
      body);
  EXPECT_OK(raw);
  EXPECT_THAT(raw.out, HasSubstr(R"("audiences":["vault"])"));
  EXPECT_THAT(raw.out, HasSubstr(R"("expirationSeconds":1200)"));
  EXPECT_THAT(raw.out, HasSubstr(R"("expirationTimestamp":")"));
  // A token for another audience is not one for the API server.
  const std::string vault =
      CreateToken("default --duration=20m --audience=vault");
  auto refused = KubectlWithToken(vault, "get pods");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, Refused());
}

TEST_F(KubectlCreateTokenTest, BoundTokenStopsWorkingWithItsPod) {
  EXPECT_OK(Kubectl("apply -f -", R"(apiVersion: v1
kind: Pod
metadata:
  name: token-holder
spec:
  serviceAccountName: default
  nodeName: nowhere
  containers:
  - name: c
    image: busybox
)"));
  const std::string token = CreateToken(
      "default --bound-object-kind=Pod --bound-object-name=token-holder");
  EXPECT_OK(KubectlWithToken(token, "get pods"));
  EXPECT_OK(Kubectl("delete pod token-holder --grace-period=0 --force"));
  auto after = KubectlWithToken(token, "get pods");
  EXPECT_NE(after.exit_code, 0);
  EXPECT_THAT(after.err, Refused());
}

TEST_F(KubectlCreateTokenTest, ErrorsAreKubernetes) {
  auto missing = Kubectl("create token nobody");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr(R"(serviceaccounts "nobody" not found)"));
  auto short_lived = Kubectl("create token default --duration=5m");
  EXPECT_NE(short_lived.exit_code, 0);
  EXPECT_THAT(short_lived.err,
              HasSubstr(R"(TokenRequest.authentication.k8s.io "default" is )"
                        R"(invalid: spec.expirationSeconds: Invalid value: )"
                        R"(300: may not specify a duration less than 10 )"
                        R"(minutes)"));
  auto no_pod = Kubectl(
      "create token default --bound-object-kind=Pod "
      "--bound-object-name=absent");
  EXPECT_NE(no_pod.exit_code, 0);
  EXPECT_THAT(no_pod.err, HasSubstr(R"(pods "absent" not found)"));
  auto no_node = Kubectl(
      "create token default --bound-object-kind=Node "
      "--bound-object-name=absent");
  EXPECT_NE(no_node.exit_code, 0);
  EXPECT_THAT(no_node.err, HasSubstr(R"(nodes "absent" not found)"));
}

// The ServiceAccount admission as `kubectl get pod -o yaml` shows it.
TEST_F(KubectlCreateTokenTest, NewPodsGetTheirAccountAndApiAccessVolume) {
  // A namespace made just now: its default ServiceAccount may come a
  // moment after it, and the pod is still admitted.
  EXPECT_OK(Kubectl("create namespace sa-admission"));
  EXPECT_OK(Kubectl("-n sa-admission apply -f -", R"(apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  nodeName: nowhere
  containers:
  - name: c
    image: busybox
)"));
  auto yaml = Kubectl("-n sa-admission get pod plain -o yaml");
  EXPECT_OK(yaml);
  EXPECT_THAT(yaml.out, HasSubstr("serviceAccountName: default\n"));
  EXPECT_THAT(yaml.out, HasSubstr("serviceAccount: default\n"));
  EXPECT_THAT(yaml.out,
              ::testing::ContainsRegex(
                  "    - mountPath: /var/run/secrets/kubernetes.io/"
                  "serviceaccount\n      name: kube-api-access-[a-z0-9]{5}\n"
                  "      readOnly: true\n"));
  EXPECT_THAT(yaml.out, ::testing::ContainsRegex(
                            "  - name: kube-api-access-[a-z0-9]{5}\n"
                            "    projected:\n"
                            "      defaultMode: 420\n"
                            "      sources:\n"
                            "      - serviceAccountToken:\n"
                            "          expirationSeconds: 3607\n"
                            "          path: token\n"
                            "      - configMap:\n"
                            "          items:\n"
                            "          - key: ca.crt\n"
                            "            path: ca.crt\n"
                            "          name: kube-root-ca.crt\n"
                            "      - downwardAPI:\n"
                            "          items:\n"
                            "          - fieldRef:\n"
                            "              apiVersion: v1\n"
                            "              fieldPath: metadata.namespace\n"
                            "            path: namespace\n"))
      << yaml.out;
  EXPECT_OK(Kubectl("-n sa-admission apply -f -", R"(apiVersion: v1
kind: Pod
metadata:
  name: no-token
spec:
  automountServiceAccountToken: false
  nodeName: nowhere
  containers:
  - name: c
    image: busybox
)"));
  auto volumes =
      Kubectl("-n sa-admission get pod no-token -o jsonpath={.spec.volumes}");
  EXPECT_OK(volumes);
  EXPECT_EQ(volumes.out, "");
  auto ghost = Kubectl("-n sa-admission apply -f -", R"(apiVersion: v1
kind: Pod
metadata:
  name: ghostly
spec:
  serviceAccountName: ghost
  containers:
  - name: c
    image: busybox
)");
  EXPECT_NE(ghost.exit_code, 0);
  EXPECT_THAT(ghost.err,
              HasSubstr(R"(pods "ghostly" is forbidden: error looking up )"
                        R"(service account sa-admission/ghost: serviceaccount )"
                        R"("ghost" not found)"));
  EXPECT_OK(Kubectl("delete namespace sa-admission --wait=false"));
}

}  // namespace
}  // namespace berth::testing
