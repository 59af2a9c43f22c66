// End-to-end: the real `berth` binary's apply/get/delete against a real
// `berth server`, checked against what kubectl prints and, where cheap,
// against what the real kubectl then sees on the server.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/kubectl.h"
#include "tests/support/process.h"

namespace berth::testing {
namespace {

const char* const kExamples[] = {
    "wiki-hello.yaml", "wiki-private-image.yaml", "workshop-namespace.yaml",
    "workshop-probes.yaml", "workshop-volumes.yaml"};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
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

  static std::map<std::string, std::string> Env() {
    return KubectlEnv(*server_, dir_->path() + "/home");
  }
  static CommandResult Berth(const std::string& args,
                             const std::string& input = "") {
    return RunCommand(BerthBinary() + " " + args, Env(), input);
  }
  static CommandResult Kubectl(const std::string& args) {
    return RunCommand("kubectl " + args, Env());
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

TempDir* CliTest::dir_ = nullptr;
BerthServer* CliTest::server_ = nullptr;

TEST_F(CliTest, ExamplesApplyGetReapplyAndDelete) {
  for (const char* file : kExamples) {
    auto r = Berth("apply -f " + ExamplesDir() + "/" + file);
    EXPECT_OK(r) << file;
    EXPECT_EQ(r.err, "") << file;
    for (const auto& line : Lines(r.out)) {
      EXPECT_NE(line.find(" created"), std::string::npos) << line;
    }
  }
  auto r = Berth("apply -f " + ExamplesDir() + "/wiki-hello.yaml");
  EXPECT_EQ(r.out, "pod/hello-pod unchanged\nservice/ps-nodeport unchanged\n");
  for (const char* file : kExamples) {
    auto again = Berth("apply -f " + ExamplesDir() + "/" + file);
    EXPECT_OK(again) << file;
    EXPECT_EQ(again.out.find("created"), std::string::npos) << again.out;
    EXPECT_EQ(again.out.find("configured"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("unchanged"), std::string::npos) << again.out;
  }

  auto pod = Berth("get pod hello-pod");
  EXPECT_OK(pod);
  EXPECT_EQ(FirstLine(pod.out), "NAME        READY   STATUS    RESTARTS   AGE");
  EXPECT_NE(pod.out.find("hello-pod   0/1     Pending   0 "), std::string::npos)
      << pod.out;
  auto svc = Berth("get svc ps-nodeport");
  EXPECT_OK(svc);
  EXPECT_NE(svc.out.find("NodePort"), std::string::npos) << svc.out;
  EXPECT_NE(svc.out.find("80:31111/TCP"), std::string::npos) << svc.out;
  // Besides kube-root-ca.crt, which every namespace gets (as in Kubernetes).
  auto names = Berth("get cm haproxy registry -o name");
  EXPECT_EQ(names.out, "configmap/haproxy\nconfigmap/registry\n");
  auto ns = Berth("get namespace blue -o name");
  EXPECT_EQ(ns.out, "namespace/blue\n");

  if (HaveKubectl()) {
    // kubectl sees what berth applied, with the same columns.
    auto seen = Kubectl("get pods -o name");
    EXPECT_NE(seen.out.find("pod/hello-pod"), std::string::npos) << seen.out;
    EXPECT_NE(seen.out.find("pod/haproxy"), std::string::npos) << seen.out;
    for (const char* what : {"pods", "svc", "cm", "ns", "pods -A -o wide"}) {
      EXPECT_EQ(FirstLine(Berth(std::string("get ") + what).out),
                FirstLine(Kubectl(std::string("get ") + what).out))
          << what;
    }
    EXPECT_EQ(Berth("get pods -o name").out, seen.out);
    EXPECT_EQ(Berth("get ns default -o yaml").out,
              Kubectl("get ns default -o yaml").out);
    EXPECT_EQ(Berth("get cm -o json").out, Kubectl("get cm -o json").out);
    EXPECT_EQ(Berth("get ns default -o yaml --show-managed-fields").out,
              Kubectl("get ns default -o yaml --show-managed-fields").out);
    EXPECT_NE(Berth("get cm -o yaml --show-managed-fields")
                  .out.find("managedFields:"),
              std::string::npos);
    // Several types: one List; several names: a List even if one is missing.
    EXPECT_EQ(Berth("get po,svc -o yaml").out,
              Kubectl("get po,svc -o yaml").out);
    EXPECT_EQ(Berth("get pod hello-pod nope -o yaml").out,
              Kubectl("get pod hello-pod nope -o yaml").out);
  }

  for (const char* file : kExamples) {
    auto d = Berth("delete -f " + ExamplesDir() + "/" + file);
    EXPECT_OK(d) << file;
    for (const auto& line : Lines(d.out)) {
      EXPECT_NE(line.find("\" deleted"), std::string::npos) << line;
    }
  }
  auto gone = Berth("get pod hello-pod");
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_EQ(gone.err,
            "Error from server (NotFound): pods \"hello-pod\" not found\n");
  auto ns_gone = Berth("get ns blue");
  EXPECT_EQ(ns_gone.exit_code, 1) << ns_gone.out;
  if (HaveKubectl()) {
    EXPECT_EQ(Kubectl("get pods -o name").out, "");
  }
}

TEST_F(CliTest, ChangedFileSaysConfigured) {
  std::string v1 =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
      "data:\n  color: blue\n";
  std::string path = Write("settings.yaml", v1);
  EXPECT_EQ(Berth("apply -f " + path).out, "configmap/settings created\n");
  EXPECT_EQ(Berth("apply -f " + path).out, "configmap/settings unchanged\n");
  Write("settings.yaml", v1.substr(0, v1.size() - 5) + "green\n");
  auto r = Berth("apply -f " + path);
  EXPECT_OK(r);
  EXPECT_EQ(r.out, "configmap/settings configured\n");
  auto yaml = Berth("get cm settings -o yaml");
  EXPECT_NE(yaml.out.find("  color: green\n"), std::string::npos) << yaml.out;
  if (HaveKubectl()) {
    EXPECT_EQ(Kubectl("get cm settings -o jsonpath={.data.color}").out,
              "green");
  }
  auto d = Berth("delete cm settings");
  EXPECT_OK(d);
  EXPECT_EQ(d.out, "configmap \"settings\" deleted\n");
}

TEST_F(CliTest, StdinListsNamespacesAndSelectors) {
  std::string list = R"({"apiVersion":"v1","kind":"List","items":[
    {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"team","labels":{"tier":"front"}}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"team","labels":{"tier":"back"}}}]})";
  auto r = Berth("apply -f -", list);
  EXPECT_OK(r);
  EXPECT_EQ(r.out,
            "namespace/team created\nconfigmap/a created\nconfigmap/b "
            "created\n");
  EXPECT_EQ(Berth("get cm -n team -l tier=back -o name").out, "configmap/b\n");
  auto all = Berth("get cm -A -l tier");
  EXPECT_EQ(FirstLine(all.out).rfind("NAMESPACE   NAME", 0), 0u) << all.out;
  EXPECT_NE(all.out.find("team        a "), std::string::npos) << all.out;
  auto none = Berth("get pods -n team");
  EXPECT_OK(none);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "No resources found in team namespace.\n");
  auto mismatch = Berth("apply -n other -f -", list);
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.err.find("the namespace from the provided object "
                              "\"team\" does not match the namespace "
                              "\"other\""),
            std::string::npos)
      << mismatch.err;
  auto d = Berth("delete namespace team");
  EXPECT_OK(d);
  EXPECT_EQ(d.out, "namespace \"team\" deleted\n");
  EXPECT_EQ(Berth("get cm -n team -o name").out, "");
}

TEST_F(CliTest, BadInputFailsWithOneLineAndWritesNothing) {
  std::string malformed =
      Write("malformed.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: half\ndata:\n"
            "  k: v\n  bad: : x\n");
  auto r = Berth("apply -f " + malformed);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: error parsing " + malformed +
                       ": error converting YAML to JSON: yaml: line 7: "
                       "mapping values are not allowed in this context\n");
  EXPECT_EQ(Berth("get cm half").exit_code, 1);

  std::string unknown = Write(
      "unknown.yaml", "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n");
  r = Berth("apply -f " + unknown);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "error: resource mapping not found for name: \"x\" "
            "namespace: \"\" from \"" +
                unknown +
                "\": no matches for kind \"Foo\" in version \"v1\"\n");

  // One invalid object fails the command; the valid one is still applied.
  std::string mixed =
      Write("mixed.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n"
            "data:\n  \"a b\": v\n");
  r = Berth("apply -f " + mixed);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "configmap/fine created\n");
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("The ConfigMap \"broken\" is invalid: data[a b]: "
                        "Invalid value: \"a b\": ",
                        0),
            0u)
      << r.err;
  EXPECT_EQ(Berth("get cm broken").exit_code, 1);
  EXPECT_OK(Berth("get cm fine"));
  if (HaveKubectl()) {
    EXPECT_EQ(Kubectl("get cm broken").exit_code, 1);
  }
  EXPECT_OK(Berth("delete cm/fine"));

  auto ghost = Berth("delete cm ghost");
  EXPECT_EQ(ghost.exit_code, 1);
  EXPECT_EQ(ghost.err,
            "Error from server (NotFound): configmaps \"ghost\" not found\n");
  auto type = Berth("get nosuchthings");
  EXPECT_EQ(type.exit_code, 1);
  EXPECT_EQ(type.err,
            "error: the server doesn't have a resource type "
            "\"nosuchthings\"\n");
}

TEST_F(CliTest, DirectoryAppliesItsManifestFilesInOrder) {
  std::string dir = dir_->path() + "/manifests";
  std::filesystem::create_directories(dir);
  Write(
      "manifests/b.json",
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"from-json"}})");
  Write("manifests/a.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: from-yaml\n"
        "stringData:\n  k: v\n");
  Write("manifests/notes.txt", "not a manifest");
  auto r = Berth("apply -f " + dir);
  EXPECT_OK(r);
  EXPECT_EQ(r.out, "secret/from-yaml created\nconfigmap/from-json created\n");
  auto d = Berth("delete -f " + dir);
  EXPECT_OK(d);
  EXPECT_EQ(d.out,
            "secret \"from-yaml\" deleted\nconfigmap \"from-json\" deleted\n");
  auto missing = Berth("apply -f " + dir + "/nope.yaml");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "error: the path \"" + dir + "/nope.yaml\" does not exist\n");
}

TEST_F(CliTest, KubeconfigComesFromFlagEnvOrDataDir) {
  // No KUBECONFIG: the data dir's admin.kubeconfig, as `berth server` wrote.
  auto by_dir = RunCommand(BerthBinary() + " get ns default -o name",
                           {{"HOME", dir_->path() + "/home"},
                            {"BERTH_DATA_DIR", server_->data_dir()},
                            {"KUBECONFIG", ""}});
  EXPECT_OK(by_dir);
  EXPECT_EQ(by_dir.out, "namespace/default\n");
  auto by_flag = RunCommand(
      BerthBinary() +
          " get ns default -o name "
          "--kubeconfig " +
          server_->kubeconfig(),
      {{"HOME", dir_->path() + "/home"}, {"KUBECONFIG", "/nonexistent"}});
  EXPECT_OK(by_flag);
  auto missing = RunCommand(BerthBinary() + " get ns",
                            {{"HOME", dir_->path() + "/home"},
                             {"KUBECONFIG", "/nonexistent/config"}});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/config does not exist"),
            std::string::npos)
      << missing.err;
}

}  // namespace
}  // namespace berth::testing
