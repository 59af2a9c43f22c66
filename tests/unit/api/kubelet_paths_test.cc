// The kubelet paths a node's kubelet port serves, and the request head the
// API server's proxy sends to it.
#include "kernel/api/server/kubelet_paths.h"

#include <gtest/gtest.h>

#include "kernel/api/server/connect_proxy.h"

namespace berth::api {
namespace {

TEST(KubeletPathsTest, MapsEachKubeletPathToItsSubresource) {
  auto logs = ParseKubeletPath("/containerLogs/default/web/httpd");
  ASSERT_TRUE(logs.ok()) << logs.status().message();
  EXPECT_EQ(logs->namespace_name, "default");
  EXPECT_EQ(logs->name, "web");
  EXPECT_EQ(logs->subresource, "log");
  EXPECT_EQ(logs->container, "httpd");

  auto exec = ParseKubeletPath("/exec/ns1/p/c");
  ASSERT_TRUE(exec.ok());
  EXPECT_EQ(exec->subresource, "exec");
  EXPECT_EQ(exec->container, "c");
  // kubelet also takes the pod's uid before the container.
  auto with_uid = ParseKubeletPath("/attach/ns1/p/1234-abcd/c");
  ASSERT_TRUE(with_uid.ok());
  EXPECT_EQ(with_uid->subresource, "attach");
  EXPECT_EQ(with_uid->name, "p");
  EXPECT_EQ(with_uid->container, "c");

  auto forward = ParseKubeletPath("/portForward/ns1/p");
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ(forward->subresource, "portforward");
  EXPECT_EQ(forward->container, "");
}

TEST(KubeletPathsTest, DecodesSegments) {
  auto t = ParseKubeletPath("/exec/ns/my%2Dpod/c");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->name, "my-pod");
}

TEST(KubeletPathsTest, OtherPathsAreNotFound) {
  for (const char* path :
       {"/", "/pods", "/containerLogs/ns/p", "/containerLogs/ns/p/c/x",
        "/exec/ns/p", "/portForward/ns", "/run/ns/p/c", "/exec//p/c",
        "/metrics"}) {
    EXPECT_EQ(ParseKubeletPath(path).status().code(), Status::Code::kNotFound)
        << path;
  }
}

TEST(KubeletRequestHeadTest, RewritesThePathAndDropsCredentials) {
  ConnectLocation loc{"node1", "10.0.0.5", 10250,
                      "/exec/default/web/httpd?command=ls&stdout=true"};
  const std::string head =
      KubeletRequestHead("POST", loc,
                         {{"Host", "127.0.0.1:6443"},
                          {"Authorization", "Bearer secret"},
                          {"Impersonate-User", "bob"},
                          {"Connection", "Upgrade"},
                          {"Upgrade", "websocket"},
                          {"Sec-WebSocket-Key", "abc=="},
                          {"Sec-WebSocket-Protocol", "v5.channel.k8s.io"},
                          {"User-Agent", "kubectl"}});
  EXPECT_EQ(head,
            "POST /exec/default/web/httpd?command=ls&stdout=true HTTP/1.1\r\n"
            "Host: 10.0.0.5:10250\r\n"
            "Upgrade: websocket\r\n"
            "Sec-WebSocket-Key: abc==\r\n"
            "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n"
            "User-Agent: kubectl\r\n"
            "Connection: Upgrade\r\n\r\n");
}

TEST(KubeletRequestHeadTest, AStreamAsksTheNodeToCloseAfterItsReply) {
  ConnectLocation loc{"node1", "10.0.0.5", 10250,
                      "/containerLogs/default/web/httpd?follow=true"};
  const std::string head = KubeletRequestHead(
      "GET", loc, {{"Connection", "keep-alive"}, {"Accept", "*/*"}});
  EXPECT_EQ(head,
            "GET /containerLogs/default/web/httpd?follow=true HTTP/1.1\r\n"
            "Host: 10.0.0.5:10250\r\nAccept: */*\r\nConnection: close\r\n\r\n");
}

TEST(KubeletRequestHeadTest, DialErrorNamesTheNode) {
  EXPECT_EQ(DialError({"node2", "10.0.0.6", 10250, "/x"}, "Connection refused"),
            "error dialing backend: node \"node2\" at 10.0.0.6:10250: "
            "Connection refused");
}

}  // namespace
}  // namespace berth::api
