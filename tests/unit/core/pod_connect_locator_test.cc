// Where the API server sends a pod's logs/exec/attach/port-forward when
// another node runs it: that node's kubelet port, on kubelet's path.
#include "pod_connect_locator.h"

#include <gtest/gtest.h>

namespace berth::core {
namespace {

JsonDoc Parse(const std::string& text) {
  auto doc = ParseJson(text);
  EXPECT_TRUE(doc.ok()) << text;
  return std::move(doc).value();
}

const char kNode[] = R"({"metadata":{"name":"node2"},"status":{
  "addresses":[{"type":"Hostname","address":"node2"},
               {"type":"InternalIP","address":"10.0.0.6"}],
  "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}})";

JsonDoc Pod(const std::string& node, const std::string& containers,
            const std::string& annotations = "{}") {
  return Parse(R"({"metadata":{"name":"web","namespace":"default",)"
               R"("annotations":)" +
               annotations + R"(},"spec":{"nodeName":")" + node +
               R"(","containers":)" + containers + "}}");
}

ConnectRequest Request(const std::string& sub,
                       std::multimap<std::string, std::string> query) {
  ConnectRequest r;
  r.namespace_name = "default";
  r.name = "web";
  r.subresource = sub;
  r.query = std::move(query);
  return r;
}

TEST(PodConnectLocatorTest, ExecGoesToTheNodesKubeletPath) {
  JsonDoc pod = Pod("node2", R"([{"name":"httpd"}])");
  JsonDoc node = Parse(kNode);
  auto loc = PodKubeletLocation(pod, &node,
                                Request("exec", {{"command", "sh"},
                                                 {"command", "-c"},
                                                 {"command", "echo a b"},
                                                 {"stdout", "true"}}));
  ASSERT_TRUE(loc.ok()) << loc.status().message();
  EXPECT_EQ(loc->node, "node2");
  EXPECT_EQ(loc->host, "10.0.0.6");
  EXPECT_EQ(loc->port, 10250);
  EXPECT_EQ(loc->path,
            "/exec/default/web/httpd?command=sh&command=-c&command=echo%20a%20b"
            "&stdout=true");
}

TEST(PodConnectLocatorTest, LogsAttachAndPortForwardPaths) {
  JsonDoc pod = Pod("node2", R"([{"name":"a"},{"name":"b"}])");
  JsonDoc node = Parse(kNode);
  auto logs = PodKubeletLocation(
      pod, &node, Request("log", {{"container", "b"}, {"follow", "true"}}));
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ(logs->path, "/containerLogs/default/web/b?follow=true");
  auto attach =
      PodKubeletLocation(pod, &node, Request("attach", {{"container", "a"}}));
  ASSERT_TRUE(attach.ok());
  EXPECT_EQ(attach->path, "/attach/default/web/a");
  auto forward =
      PodKubeletLocation(pod, &node, Request("portforward", {{"ports", "80"}}));
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ(forward->path, "/portForward/default/web?ports=80");
}

TEST(PodConnectLocatorTest, ContainerDefaultsAsTheApiServerPicksIt) {
  JsonDoc node = Parse(kNode);
  JsonDoc two = Pod("node2", R"([{"name":"a"},{"name":"b"}])");
  auto unnamed = PodKubeletLocation(two, &node, Request("log", {}));
  EXPECT_EQ(unnamed.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(unnamed.status().message(),
            "a container name must be specified for pod web, choose one of: "
            "[a b]");
  JsonDoc annotated = Pod("node2", R"([{"name":"a"},{"name":"b"}])",
                          R"({"kubectl.kubernetes.io/default-container":"b"})");
  auto by_annotation = PodKubeletLocation(annotated, &node, Request("log", {}));
  ASSERT_TRUE(by_annotation.ok());
  EXPECT_EQ(by_annotation->path, "/containerLogs/default/web/b");
  auto unknown =
      PodKubeletLocation(two, &node, Request("exec", {{"container", "zz"}}));
  EXPECT_EQ(unknown.status().message(),
            "container zz is not valid for pod web");
}

TEST(PodConnectLocatorTest, AnUnscheduledPodHasNoHost) {
  JsonDoc pod = Pod("", R"([{"name":"a"}])");
  auto loc = PodKubeletLocation(pod, nullptr, Request("log", {}));
  EXPECT_EQ(loc.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(loc.status().message(), "pod web does not have a host assigned");
}

TEST(PodConnectLocatorTest, ANodeWithoutAKubeletPortIsUnavailable) {
  JsonDoc pod = Pod("node2", R"([{"name":"a"}])");
  JsonDoc node = Parse(R"({"metadata":{"name":"node2"},"status":{}})");
  auto loc = PodKubeletLocation(pod, &node, Request("log", {}));
  EXPECT_EQ(loc.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(loc.status().message().find("node2"), std::string::npos);
}

}  // namespace
}  // namespace berth::core
