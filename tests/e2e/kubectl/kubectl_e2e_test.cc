// End-to-end: the real kubectl against a real `berth server` (HTTPS, client
// certificate kubeconfig), driving every command issue #2 names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

class KubectlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveKubectl()) return;
    dir_ = new TempDir();
    std::filesystem::create_directories(dir_->path() + "/home");
    server_ = new BerthServer(dir_->path() + "/data");
    ASSERT_TRUE(server_->Start()) << server_->log();
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveKubectl()) {
      GTEST_SKIP() << kNoKubectl;
    }
  }

  static std::map<std::string, std::string> Env() {
    return KubectlEnv(*server_, dir_->path() + "/home");
  }
  static CommandResult Kubectl(const std::string& args,
                               const std::string& input = "",
                               const std::string& binary = "kubectl") {
    return RunCommand(binary + " " + args, Env(), input);
  }
  static std::string Write(const std::string& name,
                           const std::string& content) {
    std::string path = dir_->path() + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  static TempDir* dir_;
  static BerthServer* server_;
};

TempDir* KubectlTest::dir_ = nullptr;
BerthServer* KubectlTest::server_ = nullptr;

TEST_F(KubectlTest, KubernetesServiceHoldsTheFirstServiceAddress) {
  auto svc = Kubectl("get svc kubernetes -n default");
  EXPECT_OK(svc);
  EXPECT_NE(svc.out.find("10.96.0.1 "), std::string::npos) << svc.out;
  EXPECT_NE(svc.out.find("443/TCP"), std::string::npos) << svc.out;
  auto created = Kubectl("create service clusterip first-user-svc --tcp=80");
  EXPECT_OK(created);
  auto ip = Kubectl("get svc first-user-svc -o jsonpath={.spec.clusterIP}");
  EXPECT_OK(ip);
  EXPECT_NE(ip.out, "10.96.0.1");
  EXPECT_OK(Kubectl("delete svc first-user-svc"));
}

// As in Kubernetes: default/kubernetes' Endpoints and EndpointSlice name the
// address the API server advertises and the port it serves on, and every
// namespace holds kube-root-ca.crt with the cluster CA and a `default`
// ServiceAccount; both are put back when deleted.
TEST_F(KubectlTest, KubernetesEndpointsRootCaAndDefaultAccountAreKept) {
  const std::string port = server_->url().substr(server_->url().rfind(':') + 1);
  // The controllers run after the server is ready: wait for the objects.
  auto eventually = [](const std::string& args, const std::string& want) {
    CommandResult r;
    for (int i = 0; i < 150; ++i) {
      r = Kubectl(args);
      if (r.exit_code == 0 && r.out == want) break;
      usleep(100 * 1000);
    }
    return r;
  };
  auto ep_port = eventually(
      "get endpoints kubernetes -n default "
      "-o jsonpath={.subsets[0].ports[0].port}",
      port);
  EXPECT_EQ(ep_port.out, port) << ep_port.err;
  auto ip = Kubectl(
      "get endpoints kubernetes -n default "
      "-o jsonpath={.subsets[0].addresses[0].ip}");
  EXPECT_OK(ip);
  EXPECT_FALSE(ip.out.empty());
  auto slice = eventually(
      "get endpointslice kubernetes -n default "
      "-o 'jsonpath={.endpoints[0].addresses[0]}:{.ports[0].port}'",
      ip.out + ":" + port);
  EXPECT_EQ(slice.out, ip.out + ":" + port) << slice.err;
  // Exactly one slice: the mirroring controller leaves the Endpoints alone.
  EXPECT_EQ(Kubectl("get endpointslices -n default "
                    "-l kubernetes.io/service-name=kubernetes -o name")
                .out,
            "endpointslice.discovery.k8s.io/kubernetes\n");
  EXPECT_OK(Kubectl("delete endpoints kubernetes -n default"));
  auto back = eventually(
      "get endpoints kubernetes -n default "
      "-o jsonpath={.subsets[0].ports[0].port}",
      port);
  EXPECT_EQ(back.out, port) << back.err;

  std::ifstream ca_file(server_->data_dir() + "/pki/ca.crt");
  const std::string ca((std::istreambuf_iterator<char>(ca_file)),
                       std::istreambuf_iterator<char>());
  ASSERT_FALSE(ca.empty());
  EXPECT_OK(Kubectl("create namespace root-ca-check"));
  auto published = eventually(
      "get configmap kube-root-ca.crt -n root-ca-check "
      "-o 'jsonpath={.data.ca\\.crt}'",
      ca);
  EXPECT_EQ(published.out, ca) << published.err;
  EXPECT_OK(Kubectl("delete configmap kube-root-ca.crt -n root-ca-check"));
  auto again = eventually(
      "get configmap kube-root-ca.crt -n root-ca-check "
      "-o 'jsonpath={.data.ca\\.crt}'",
      ca);
  EXPECT_EQ(again.out, ca) << again.err;
  // And its `default` ServiceAccount, as kube-controller-manager makes.
  auto account =
      eventually("get serviceaccount default -n root-ca-check -o name",
                 "serviceaccount/default\n");
  EXPECT_EQ(account.out, "serviceaccount/default\n") << account.err;
  EXPECT_OK(Kubectl("delete namespace root-ca-check --wait=false"));
}

TEST_F(KubectlTest, AuthCanIAndWhoAmI) {
  // No authorization plugin: the AlwaysAllow authorizer answers.
  auto can = Kubectl("auth can-i create pods -n kube-system");
  EXPECT_OK(can);
  EXPECT_EQ(can.out, "yes\n");
  auto path = Kubectl("auth can-i get /healthz");
  EXPECT_OK(path);
  EXPECT_EQ(path.out, "yes\n");
  auto list = Kubectl("auth can-i --list");
  EXPECT_OK(list);
  EXPECT_NE(list.out.find("*.*"), std::string::npos) << list.out;
  auto who = Kubectl("auth whoami");
  EXPECT_OK(who);
  EXPECT_NE(who.out.find("admin"), std::string::npos) << who.out;
  EXPECT_NE(who.out.find("system:masters"), std::string::npos) << who.out;
  EXPECT_NE(who.out.find("system:authenticated"), std::string::npos) << who.out;
  // Impersonation: kubectl --as/--as-group send Impersonate-* headers.
  auto as = Kubectl("auth whoami --as=jane --as-group=devs");
  EXPECT_OK(as);
  EXPECT_NE(as.out.find("jane"), std::string::npos) << as.out;
  EXPECT_NE(as.out.find("[devs system:authenticated]"), std::string::npos)
      << as.out;
  EXPECT_EQ(as.out.find("admin"), std::string::npos) << as.out;
  // A review is answered, never stored or listed.
  auto get = Kubectl("get selfsubjectreviews");
  EXPECT_NE(get.exit_code, 0);
  EXPECT_NE(get.err.find("MethodNotAllowed"), std::string::npos) << get.err;
}

TEST_F(KubectlTest, DefaultNamespacesExist) {
  auto r = Kubectl("get ns");
  EXPECT_OK(r);
  EXPECT_NE(r.out.find("NAME"), std::string::npos);
  for (const char* ns : {"default", "kube-system", "kube-public"}) {
    EXPECT_NE(r.out.find(ns), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("Active"), std::string::npos) << r.out;
  auto v = Kubectl("version");
  EXPECT_OK(v);
  EXPECT_NE(v.out.find("Server Version: v1.32"), std::string::npos) << v.out;
}

TEST_F(KubectlTest, ExamplesApplyTwiceAndDelete) {
  for (const char* file :
       {"wiki-hello.yaml", "wiki-private-image.yaml", "workshop-namespace.yaml",
        "workshop-probes.yaml", "workshop-volumes.yaml", "wiki-web-deploy.yaml",
        "course-nginx-deployment.yaml", "squash-postgres.yaml"}) {
    std::string path = ExamplesDir() + "/" + file;
    auto first = Kubectl("apply -f " + path);
    EXPECT_OK(first) << file;
    EXPECT_NE(first.out.find("created"), std::string::npos) << first.out;
    auto second = Kubectl("apply -f " + path);
    EXPECT_OK(second) << file;
    // A pod that declares volumes of its own is "configured" again, as in
    // Kubernetes: the ServiceAccount admission added kube-api-access to
    // its volumes and volumeMounts, so kubectl's three-way patch carries
    // $setElementOrder directives (a no-op) for those lists.
    for (const char* pod :
         {"pod/nginx-with-volume configured\n", "pod/haproxy configured\n",
          "pod/bibble-pod configured\n"}) {
      if (auto at = second.out.find(pod); at != std::string::npos) {
        second.out.erase(at, std::string(pod).size());
      }
    }
    EXPECT_EQ(second.out.find("created"), std::string::npos) << second.out;
    EXPECT_EQ(second.out.find("configured"), std::string::npos) << second.out;
    if (!second.out.empty()) {
      EXPECT_NE(second.out.find("unchanged"), std::string::npos) << second.out;
    }
  }
  auto pods = Kubectl("get pod hello-pod");
  EXPECT_OK(pods);
  EXPECT_NE(pods.out.find("NAME        READY   STATUS    RESTARTS   AGE"),
            std::string::npos)
      << pods.out;
  EXPECT_NE(pods.out.find("0/1"), std::string::npos) << pods.out;
  auto svc = Kubectl("get svc ps-nodeport");
  EXPECT_OK(svc);
  EXPECT_NE(svc.out.find("NodePort"), std::string::npos) << svc.out;
  EXPECT_NE(svc.out.find("80:31111/TCP"), std::string::npos) << svc.out;
  EXPECT_NE(svc.out.find("CLUSTER-IP"), std::string::npos) << svc.out;
  for (const char* file :
       {"wiki-hello.yaml", "wiki-private-image.yaml", "workshop-namespace.yaml",
        "workshop-probes.yaml", "workshop-volumes.yaml", "wiki-web-deploy.yaml",
        "course-nginx-deployment.yaml", "squash-postgres.yaml"}) {
    auto d = Kubectl("delete -f " + ExamplesDir() + "/" + file);
    EXPECT_OK(d) << file;
    EXPECT_NE(d.out.find("deleted"), std::string::npos) << d.out;
  }
  auto gone = Kubectl("get pod hello-pod");
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("pods \"hello-pod\" not found"), std::string::npos)
      << gone.err;
}

TEST_F(KubectlTest, ReapplyWithChangeSaysConfigured) {
  std::string v1 =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
      "data:\n  color: blue\n";
  std::string path = Write("settings.yaml", v1);
  EXPECT_OK(Kubectl("apply -f " + path));
  Write("settings.yaml", v1.substr(0, v1.size() - 5) + "green\n");
  auto r = Kubectl("apply -f " + path);
  EXPECT_OK(r);
  EXPECT_NE(r.out.find("configmap/settings configured"), std::string::npos)
      << r.out;
  auto color = Kubectl("get cm settings -o jsonpath={.data.color}");
  EXPECT_EQ(color.out, "green");
  EXPECT_OK(Kubectl("delete cm settings"));
}

TEST_F(KubectlTest, GetOutputsAndSelectors) {
  EXPECT_OK(Kubectl("create namespace sel"));
  for (int i = 0; i < 3; ++i) {
    std::string tier = i == 0 ? "front" : "back";
    EXPECT_OK(Kubectl("-n sel create configmap cm" + std::to_string(i) +
                      " --from-literal=k=v" + std::to_string(i)));
    EXPECT_OK(Kubectl("-n sel label configmap cm" + std::to_string(i) +
                      " tier=" + tier));
  }
  auto yaml = Kubectl("-n sel get cm cm0 -o yaml");
  EXPECT_OK(yaml);
  EXPECT_NE(yaml.out.find("kind: ConfigMap"), std::string::npos) << yaml.out;
  EXPECT_NE(yaml.out.find("resourceVersion:"), std::string::npos);
  auto json = Kubectl("-n sel get cm -o json");
  EXPECT_NE(json.out.find("\"kind\": \"List\""), std::string::npos) << json.out;
  auto by_label = Kubectl("-n sel get cm -l tier=back -o name");
  EXPECT_EQ(by_label.out, "configmap/cm1\nconfigmap/cm2\n");
  auto not_in = Kubectl("-n sel get cm -l 'tier,tier notin (back)' -o name");
  EXPECT_EQ(not_in.out, "configmap/cm0\n");
  auto by_field =
      Kubectl("-n sel get cm --field-selector metadata.name=cm2 -o name");
  EXPECT_EQ(by_field.out, "configmap/cm2\n");
  auto bad_field = Kubectl("-n sel get cm --field-selector spec.nope=x");
  EXPECT_EQ(bad_field.exit_code, 1);
  EXPECT_NE(bad_field.err.find("field label not supported: spec.nope"),
            std::string::npos)
      << bad_field.err;
  auto all = Kubectl("get cm -A");
  EXPECT_NE(all.out.find("NAMESPACE"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("sel "), std::string::npos) << all.out;
  auto labels = Kubectl("-n sel get cm cm0 --show-labels");
  EXPECT_NE(labels.out.find("tier=front"), std::string::npos) << labels.out;
  auto sorted = Kubectl(
      "-n sel get cm -l tier --sort-by=.metadata.name -o "
      "custom-columns=N:.metadata.name --no-headers");
  EXPECT_EQ(sorted.out, "cm0\ncm1\ncm2\n");
  auto sorted_table = Kubectl("-n sel get cm --sort-by=.data.k");
  EXPECT_OK(sorted_table);
  EXPECT_LT(sorted_table.out.find("cm0"), sorted_table.out.find("cm2"));
  EXPECT_OK(Kubectl("delete namespace sel"));
}

TEST_F(KubectlTest, WatchSeesChanges) {
  EXPECT_OK(Kubectl("create configmap watched --from-literal=a=1"));
  // `get X -w` drops its first event: the server must send current state.
  auto r = RunCommand(
      "(sleep 2; kubectl label cm watched round=two >/dev/null) & "
      "timeout 6 kubectl get cm watched -w -o "
      "custom-columns=N:.metadata.name,R:.metadata.labels.round --no-headers;"
      " wait",
      Env(), "", 30);
  EXPECT_NE(r.out.find("two"), std::string::npos) << r.out << r.err;
  auto list_watch = RunCommand(
      "(sleep 2; kubectl create cm appeared >/dev/null) & "
      "timeout 6 kubectl get cm -w --no-headers; wait",
      Env(), "", 30);
  EXPECT_NE(list_watch.out.find("appeared"), std::string::npos)
      << list_watch.out << list_watch.err;
  EXPECT_OK(Kubectl("delete cm watched appeared"));
}

TEST_F(KubectlTest, CreateGeneratorsLabelsAnnotationsPatches) {
  EXPECT_OK(Kubectl("create namespace team-a"));
  auto again = Kubectl("create namespace team-a");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("namespaces \"team-a\" already exists"),
            std::string::npos)
      << again.err;
  std::string file = Write("password.txt", "s3cr3t");
  EXPECT_OK(
      Kubectl("-n team-a create secret generic creds --from-file=" + file));
  auto secret = Kubectl(
      "-n team-a get secret creds -o 'jsonpath={.data.password\\.txt}'");
  EXPECT_EQ(secret.out, "czNjcjN0");  // base64("s3cr3t")
  auto type = Kubectl("-n team-a get secret creds");
  EXPECT_NE(type.out.find("Opaque"), std::string::npos) << type.out;
  EXPECT_OK(Kubectl("-n team-a create configmap app --from-literal=mode=fast"));
  auto l = Kubectl("-n team-a label cm app tier=frontend");
  EXPECT_OK(l);
  EXPECT_NE(l.out.find("configmap/app labeled"), std::string::npos);
  auto a = Kubectl("-n team-a annotate cm app owner=ops");
  EXPECT_NE(a.out.find("configmap/app annotated"), std::string::npos) << a.err;
  auto unl = Kubectl("-n team-a label cm app tier-");
  EXPECT_NE(unl.out.find("unlabeled"), std::string::npos) << unl.err;
  auto smp =
      Kubectl("-n team-a patch cm app -p '{\"data\":{\"extra\":\"1\"}}'");
  EXPECT_NE(smp.out.find("patched"), std::string::npos) << smp.err;
  auto merge = Kubectl(
      "-n team-a patch cm app --type=merge -p "
      "'{\"data\":{\"mode\":\"slow\"}}'");
  EXPECT_NE(merge.out.find("patched"), std::string::npos) << merge.err;
  auto json = Kubectl(
      "-n team-a patch cm app --type=json -p "
      "'[{\"op\":\"remove\",\"path\":\"/data/extra\"}]'");
  EXPECT_NE(json.out.find("patched"), std::string::npos) << json.err;
  auto noop = Kubectl(
      "-n team-a patch cm app --type=merge -p "
      "'{\"data\":{\"mode\":\"slow\"}}'");
  EXPECT_NE(noop.out.find("patched (no change)"), std::string::npos)
      << noop.out;
  auto data = Kubectl("-n team-a get cm app -o jsonpath={.data}");
  EXPECT_EQ(data.out, "{\"mode\":\"slow\"}");
  auto ann =
      Kubectl("-n team-a get cm app -o jsonpath={.metadata.annotations.owner}");
  EXPECT_EQ(ann.out, "ops");
  // edit with a script as the editor
  std::string editor = Write("editor.sh",
                             "#!/bin/sh\nsed -i 's/mode: slow/mode: edited/' "
                             "\"$1\"\n");
  chmod(editor.c_str(), 0755);
  auto env = Env();
  env["EDITOR"] = editor;
  auto edit = RunCommand("kubectl -n team-a edit cm app", env);
  EXPECT_OK(edit);
  EXPECT_NE(edit.out.find("configmap/app edited"), std::string::npos)
      << edit.out;
  EXPECT_EQ(Kubectl("-n team-a get cm app -o jsonpath={.data.mode}").out,
            "edited");
  // replace
  auto current = Kubectl("-n team-a get cm app -o yaml");
  std::string replaced = current.out;
  replaced.replace(replaced.find("mode: edited"), 12, "mode: replaced");
  auto rep = Kubectl("replace -f -", replaced);
  EXPECT_OK(rep);
  EXPECT_NE(rep.out.find("configmap/app replaced"), std::string::npos);
  // the same stale object again: 409
  auto stale = Kubectl("replace -f -", replaced);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("the object has been modified"), std::string::npos)
      << stale.err;
  EXPECT_OK(Kubectl("delete namespace team-a"));
}

TEST_F(KubectlTest, DiscoveryExplainMetrics) {
  auto res = Kubectl("api-resources");
  EXPECT_OK(res);
  for (const char* line :
       {"pods", "po", "services", "svc", "namespaces", "configmaps", "secrets",
        "serviceaccounts", "nodes", "events", "endpoints"}) {
    EXPECT_NE(res.out.find(line), std::string::npos) << line << res.out;
  }
  auto explain = Kubectl("explain pod.spec.containers");
  EXPECT_OK(explain);
  EXPECT_NE(explain.out.find("FIELD: containers"), std::string::npos)
      << explain.out;
  EXPECT_NE(explain.out.find("image"), std::string::npos);
  auto metrics = Kubectl("get --raw /metrics");
  EXPECT_OK(metrics);
  EXPECT_NE(metrics.out.find("apiserver_request_total{"), std::string::npos);
  EXPECT_NE(metrics.out.find("apiserver_request_duration_seconds_bucket"),
            std::string::npos);
  EXPECT_NE(metrics.out.find("berth_store_revision"), std::string::npos);
  EXPECT_NE(metrics.out.find("berth_store_operation_duration_seconds_count{"
                             "operation=\"create\"}"),
            std::string::npos)
      << metrics.out;
}

TEST_F(KubectlTest, ServerSideApply) {
  std::string path = Write("ssa.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                           "  name: ssa\ndata:\n  a: \"1\"\n");
  auto r = Kubectl("apply --server-side -f " + path);
  EXPECT_OK(r);
  EXPECT_NE(r.out.find("configmap/ssa serverside-applied"), std::string::npos)
      << r.out;
  Write("ssa.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n"
        "  a: \"2\"\n  b: \"3\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_EQ(Kubectl("get cm ssa -o jsonpath={.data.a},{.data.b}").out, "2,3");
  EXPECT_OK(Kubectl("delete cm ssa"));
}

TEST_F(KubectlTest, ServerSideApplyRecordsManagedFields) {
  std::string path = Write("ssa-mf.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                           "  name: ssa-mf\ndata:\n  a: \"1\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  auto shown = Kubectl("get cm ssa-mf -o yaml --show-managed-fields");
  EXPECT_OK(shown);
  EXPECT_NE(shown.out.find("  - apiVersion: v1\n    fieldsType: FieldsV1\n"
                           "    fieldsV1:\n      f:data:\n        f:a: {}\n"
                           "    manager: kubectl\n    operation: Apply\n"),
            std::string::npos)
      << shown.out;
  // kubectl hides them unless asked.
  auto plain = Kubectl("get cm ssa-mf -o yaml");
  EXPECT_EQ(plain.out.find("managedFields"), std::string::npos) << plain.out;
  // Applying the same manifest again writes nothing.
  std::string rv =
      Kubectl("get cm ssa-mf -o jsonpath={.metadata.resourceVersion}").out;
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_EQ(
      Kubectl("get cm ssa-mf -o jsonpath={.metadata.resourceVersion}").out, rv);
  EXPECT_OK(Kubectl("delete cm ssa-mf"));
}

TEST_F(KubectlTest, EveryWriteRecordsItsManager) {
  EXPECT_OK(Kubectl("create cm managed --from-literal=a=1"));
  EXPECT_OK(Kubectl("label cm managed tier=web"));
  auto managers = Kubectl(
      "get cm managed --show-managed-fields -o "
      "jsonpath='{range .metadata.managedFields[*]}{.manager}:{.operation}:"
      "{.fieldsV1}{\"\\n\"}{end}'");
  EXPECT_EQ(managers.out,
            "kubectl-create:Update:{\"f:data\":{\".\":{},\"f:a\":{}}}\n"
            "kubectl-label:Update:{\"f:metadata\":{\"f:labels\":{\".\":{},"
            "\"f:tier\":{}}}}\n");
  // A write naming no fieldManager is recorded under the User-Agent's
  // product ("kubectl/v1.32.4 (linux/amd64) ..." -> "kubectl").
  std::string body = Write(
      "raw.json",
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw"},)"
      R"("data":{"a":"1"}})");
  EXPECT_OK(
      Kubectl("create --raw /api/v1/namespaces/default/configmaps -f " + body));
  EXPECT_EQ(Kubectl("get cm raw --show-managed-fields -o "
                    "jsonpath={.metadata.managedFields[*].manager}")
                .out,
            "kubectl");
  EXPECT_OK(Kubectl("delete cm managed raw"));
}

TEST_F(KubectlTest, ServerSideApplyConflictsWithAnotherManager) {
  std::string path = Write("ssa-conflict.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                           "  name: ssa-conflict\ndata:\n  key: applied\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_OK(
      Kubectl("patch cm ssa-conflict -p '{\"data\":{\"key\":\"patched\"}}'"));
  auto r = Kubectl("apply --server-side -f " + path);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("Apply failed with 1 conflict: conflict with "
                       "\"kubectl-patch\" using v1: .data.key"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--force-conflicts"), std::string::npos) << r.err;
  EXPECT_EQ(Kubectl("get cm ssa-conflict -o jsonpath={.data.key}").out,
            "patched");
  EXPECT_OK(Kubectl("apply --server-side --force-conflicts -f " + path));
  EXPECT_EQ(Kubectl("get cm ssa-conflict -o jsonpath={.data.key}").out,
            "applied");
  // The patcher lost its only field, so its entry is gone.
  auto managers = Kubectl(
      "get cm ssa-conflict --show-managed-fields "
      "-o jsonpath={.metadata.managedFields[*].manager}");
  EXPECT_EQ(managers.out, "kubectl");
  EXPECT_OK(Kubectl("delete cm ssa-conflict"));
}

TEST_F(KubectlTest, ServerSideApplyRemovesFieldsNoLongerApplied) {
  std::string path =
      Write("ssa-prune.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-prune\n"
            "  labels:\n    keep: \"yes\"\n    drop: \"yes\"\n"
            "data:\n  a: \"1\"\n  b: \"2\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  // Another manager sets a key of its own, which must survive.
  EXPECT_OK(Kubectl("label cm ssa-prune extra=1"));
  Write("ssa-prune.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-prune\n"
        "  labels:\n    keep: \"yes\"\ndata:\n  a: \"1\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_EQ(Kubectl("get cm ssa-prune -o jsonpath={.data}").out,
            "{\"a\":\"1\"}");
  EXPECT_EQ(Kubectl("get cm ssa-prune -o jsonpath={.metadata.labels}").out,
            "{\"extra\":\"1\",\"keep\":\"yes\"}");
  EXPECT_OK(Kubectl("delete cm ssa-prune"));
}

TEST_F(KubectlTest, ClientSideApplyThenServerSideApplyMigrates) {
  std::string path = Write("csa.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                           "  name: csa-to-ssa\ndata:\n  a: \"1\"\n"
                           "  b: \"2\"\n");
  EXPECT_OK(Kubectl("apply -f " + path));
  EXPECT_EQ(Kubectl("get cm csa-to-ssa --show-managed-fields "
                    "-o jsonpath={.metadata.managedFields[*].manager}")
                .out,
            "kubectl-client-side-apply");
  auto r = Kubectl("apply --server-side -f " + path);
  EXPECT_OK(r);
  EXPECT_NE(r.out.find("configmap/csa-to-ssa serverside-applied"),
            std::string::npos)
      << r.out;
  // kubectl moved the client-side apply ownership to its applier, so a
  // key dropped from the manifest now goes away.
  auto managers = Kubectl(
      "get cm csa-to-ssa --show-managed-fields "
      "-o jsonpath={.metadata.managedFields[*].manager}");
  EXPECT_EQ(managers.out.find("kubectl-client-side-apply"), std::string::npos)
      << managers.out;
  Write("csa.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa-to-ssa\n"
        "data:\n  a: \"1\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_EQ(Kubectl("get cm csa-to-ssa -o jsonpath={.data}").out,
            "{\"a\":\"1\"}");
  EXPECT_OK(Kubectl("delete cm csa-to-ssa"));
}

TEST_F(KubectlTest, ServerSideApplyTakesOverChangedClientSideValues) {
  std::string path = Write("csa-change.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                           "  name: csa-change\ndata:\n  a: \"1\"\n");
  EXPECT_OK(Kubectl("apply -f " + path));
  // The value differs from what client-side apply wrote, but that apply
  // was kubectl's own: no conflict, as with the apiserver.
  Write("csa-change.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa-change\n"
        "data:\n  a: \"2\"\n");
  EXPECT_OK(Kubectl("apply --server-side -f " + path));
  EXPECT_EQ(Kubectl("get cm csa-change -o jsonpath={.data.a}").out, "2");
  EXPECT_OK(Kubectl("delete cm csa-change"));
}

// kubectl always sends the manifest to its own URL, so the checks on an
// applied body are driven with curl and the admin client certificate.
TEST_F(KubectlTest, AppliedBodyMustMatchTheUrl) {
  if (RunCommand("command -v curl base64").exit_code != 0) {
    GTEST_SKIP() << "curl is not installed";
  }
  const std::string d = dir_->path();
  for (const auto& [field, file] : std::map<std::string, std::string>{
           {"users[0].user.client-certificate-data", "client.crt"},
           {"users[0].user.client-key-data", "client.key"},
           {"clusters[0].cluster.certificate-authority-data", "ca.crt"}}) {
    ASSERT_EQ(Kubectl("config view --raw -o jsonpath='{." + field +
                      "}' | base64 -d > " + d + "/" + file)
                  .exit_code,
              0);
  }
  auto apply = [&](const std::string& body) {
    return RunCommand("curl -s --cacert " + d + "/ca.crt --cert " + d +
                      "/client.crt --key " + d +
                      "/client.key -X PATCH -H 'Content-Type: "
                      "application/apply-patch+yaml' '" +
                      server_->url() +
                      "/api/v1/namespaces/default/configmaps/"
                      "url-name?fieldManager=curl' -d '" +
                      body + "'");
  };
  auto wrong_name = apply(
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}})");
  EXPECT_NE(wrong_name.out.find(
                "\"message\":\"the name of the object (other) does not match "
                "the name on the URL (url-name)\",\"reason\":\"BadRequest\""),
            std::string::npos)
      << wrong_name.out;
  auto wrong_version = apply(
      R"({"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"url-name"}})");
  EXPECT_NE(wrong_version.out.find(
                "Incorrect version specified in apply patch. Specified patch "
                "version: apps/v1, expected: v1"),
            std::string::npos)
      << wrong_version.out;
  auto wrong_kind = apply(
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"url-name"}})");
  EXPECT_NE(wrong_kind.out.find("\"code\":400"), std::string::npos)
      << wrong_kind.out;
  EXPECT_NE(Kubectl("get cm url-name").exit_code, 0);
}

TEST_F(KubectlTest, BadInputGetsClearErrors) {
  std::string broken = Write("broken.yaml",
                             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                             "  name: x\n data: : :\n");
  auto yaml = Kubectl("apply -f " + broken);
  EXPECT_EQ(yaml.exit_code, 1);
  EXPECT_NE(yaml.err.find("line"), std::string::npos) << yaml.err;
  std::string unknown = Write("unknown.yaml",
                              "apiVersion: example.com/v1\nkind: Widget\n"
                              "metadata:\n  name: w\n");
  auto kind = Kubectl("apply -f " + unknown);
  EXPECT_EQ(kind.exit_code, 1);
  EXPECT_NE(kind.err.find("no matches for kind \"Widget\""), std::string::npos)
      << kind.err;
  std::string invalid = Write("invalid.yaml",
                              "apiVersion: v1\nkind: Pod\nmetadata:\n"
                              "  name: noimage\nspec:\n  containers:\n"
                              "  - name: c\n");
  auto inv = Kubectl("apply -f " + invalid);
  EXPECT_EQ(inv.exit_code, 1);
  EXPECT_NE(inv.err.find("spec.containers[0].image: Required value"),
            std::string::npos)
      << inv.err;
  EXPECT_EQ(Kubectl("get pod noimage").exit_code, 1);  // nothing half-written
  std::string unknown_field =
      Write("typo.yaml",
            "apiVersion: v1\nkind: ConfigMap\n"
            "metadata:\n  name: typo\ndatta:\n  a: b\n");
  auto strict = Kubectl("apply -f " + unknown_field);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("unknown field \"datta\""), std::string::npos)
      << strict.err;
  // wrong credentials
  auto env = Env();
  std::string bad_kubeconfig = Write(
      "bad.kubeconfig",
      "apiVersion: v1\nkind: Config\nclusters:\n- name: b\n  cluster:\n"
      "    server: " +
          server_->url() +
          "\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n"
          "    token: wrong\ncontexts:\n- name: c\n  context:\n    cluster: b\n"
          "    user: u\ncurrent-context: c\n");
  env["KUBECONFIG"] = bad_kubeconfig;
  auto unauth = RunCommand("kubectl get --raw /api/v1/namespaces", env);
  EXPECT_EQ(unauth.exit_code, 1);
  EXPECT_NE(unauth.err.find("Unauthorized"), std::string::npos) << unauth.err;
}

TEST_F(KubectlTest, OlderKubectlBuildsPassTheBasicFlow) {
  const std::string dir = "/usr/lib/google-cloud-sdk/bin";
  int tried = 0;
  for (int minor = 27; minor <= 33; ++minor) {
    std::string bin = dir + "/kubectl.1." + std::to_string(minor);
    if (access(bin.c_str(), X_OK) != 0) continue;
    ++tried;
    std::string name = "v" + std::to_string(minor);
    std::string path = Write(name + ".yaml",
                             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                             "  name: " +
                                 name + "\ndata:\n  k: v\n");
    auto apply = Kubectl("apply -f " + path, "", bin);
    EXPECT_OK(apply) << bin;
    auto get = Kubectl("get cm " + name, "", bin);
    EXPECT_OK(get) << bin;
    EXPECT_NE(get.out.find(name), std::string::npos) << bin;
    auto del = Kubectl("delete -f " + path, "", bin);
    EXPECT_OK(del) << bin;
  }
  if (tried == 0) GTEST_SKIP() << "no versioned kubectl builds in " << dir;
}

TEST_F(KubectlTest, ObjectsSurviveRestart) {
  EXPECT_OK(Kubectl("create configmap durable --from-literal=a=1"));
  auto before = Kubectl("get cm durable -o jsonpath={.metadata.uid}");
  ASSERT_EQ(server_->Stop(), 0) << server_->log();
  ASSERT_TRUE(server_->Start()) << server_->log();
  auto after = Kubectl("get cm durable -o jsonpath={.metadata.uid}");
  EXPECT_OK(after);
  EXPECT_EQ(before.out, after.out);
  EXPECT_OK(Kubectl("delete cm durable"));
}

}  // namespace
}  // namespace berth::testing
