// PodConnectLocator: where pods/log, pods/exec, pods/attach and
// pods/portforward of a pod are served when the API server's process does
// not serve them itself — the kubelet port of the pod's node, as
// kube-apiserver's pod LogLocation/ExecLocation/PortForwardLocation give
// it: the Node's InternalIP (else ExternalIP, else Hostname address) and
// status.daemonEndpoints.kubeletEndpoint.Port, and kubelet's path
// (/containerLogs/{ns}/{pod}/{container}, /exec/..., /attach/...,
// /portForward/{ns}/{pod}) with the request's query.
//
// Thread safety: Locate may be called from many request threads at once.
#ifndef BERTH_PLUGINS_CORE_POD_CONNECT_LOCATOR_H_
#define BERTH_PLUGINS_CORE_POD_CONNECT_LOCATOR_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/connect.h"
#include "berth/json.h"

namespace berth::core {

// The location of `request` for `pod` (a Pod object) on `node` (its Node
// object; null when the pod has no node). BadRequest "pod x does not have
// a host assigned" for an unscheduled pod; BadRequest for a missing or
// unknown container (as kube-apiserver words it); Unavailable when the
// node publishes no address or kubelet port.
StatusOr<ConnectLocation> PodKubeletLocation(const Json& pod, const Json* node,
                                             const ConnectRequest& request);

class PodConnectLocator : public ConnectLocator {
 public:
  // `client` must outlive the locator.
  explicit PodConnectLocator(Client* client) : client_(client) {}
  ResourceRef Resource() const override { return {"", "v1", "pods"}; }
  std::vector<ConnectSubresource> Subresources() const override;
  // Reads the pod and its node: NotFound for a missing pod, and the
  // errors of PodKubeletLocation.
  StatusOr<ConnectLocation> Locate(const ConnectRequest& request) override;

 private:
  Client* client_;
};

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_POD_CONNECT_LOCATOR_H_
