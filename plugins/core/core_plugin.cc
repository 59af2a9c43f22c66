// Registration of the core plugin: the core/v1 kinds, Lease, EndpointSlice,
// the namespace, endpoints, endpointslice, node IPAM and node lifecycle
// controllers, the `kubernetes` Service's endpoint reconciler, the default
// ServiceAccount controller, the root CA publisher and the admissions. The
// logic lives in the berth_core_kinds library.
#include <memory>

#include "berth/plugin.h"
#include "config_map_kind.h"
#include "default_toleration_seconds.h"
#include "endpoint_slice_controller.h"
#include "endpoint_slice_kind.h"
#include "endpoint_slice_mirroring.h"
#include "endpoints_controller.h"
#include "endpoints_kind.h"
#include "event_kind.h"
#include "kubernetes_endpoints.h"
#include "lease_kind.h"
#include "namespace_controller.h"
#include "namespace_kind.h"
#include "namespace_lifecycle.h"
#include "node_ipam_controller.h"
#include "node_ipam_settings.h"
#include "node_kind.h"
#include "node_lifecycle_controller.h"
#include "node_lifecycle_settings.h"
#include "plugins/common/k8s_proto/core_v1_proto.h"
#include "pod_connect_locator.h"
#include "pod_gc_controller.h"
#include "pod_kind.h"
#include "root_ca_publisher.h"
#include "runtime_class_kind.h"
#include "secret_kind.h"
#include "service_account_admission.h"
#include "service_account_controller.h"
#include "service_account_kind.h"
#include "service_kind.h"
#include "service_network.h"
#include "service_pod_watcher.h"

namespace berth::core {
namespace {

class CorePlugin : public Plugin {
 public:
  std::string Name() const override { return "core"; }
  std::string Version() const override { return "0.1.0"; }

  Status Register(Host& host, const std::string& settings_json,
                  Registrar& registrar) override {
    auto network = ParseServiceNetwork(settings_json);
    if (!network.ok()) return network.status();
    auto lifecycle = ParseNodeLifecycleSettings(settings_json);
    if (!lifecycle.ok()) return lifecycle.status();
    auto ipam = ParseNodeIpamSettings(settings_json);
    if (!ipam.ok()) return ipam.status();
    host_ = &host;
    network_ = *network;
    services_ = std::make_shared<ServiceKind>(*network, &host.client());
    const std::shared_ptr<Kind> kinds[] = {
        std::make_shared<NamespaceKind>(),
        std::make_shared<PodKind>(),
        services_,
        std::make_shared<ConfigMapKind>(),
        std::make_shared<SecretKind>(),
        std::make_shared<ServiceAccountKind>(),
        std::make_shared<EventKind>(),
        std::make_shared<NodeKind>(),
        std::make_shared<EndpointsKind>(),
        std::make_shared<EndpointSliceKind>(),
        std::make_shared<LeaseKind>(),
        std::make_shared<RuntimeClassKind>(),
    };
    for (const auto& kind : kinds) {
      if (Status s = registrar.AddKind(kind); !s.ok()) return s;
    }
    // Pods dial the API server by the `kubernetes` Service (in-cluster
    // clients by its ClusterIP, in KUBERNETES_SERVICE_HOST), so its
    // certificate names them as kube-apiserver's does.
    for (const std::string& name :
         {std::string("kubernetes"), std::string("kubernetes.default"),
          std::string("kubernetes.default.svc"),
          FormatIpv4(network_.FirstIp())}) {
      if (Status s = registrar.AddServingName(name); !s.ok()) return s;
    }
    // What `kubectl create namespace|secret|configmap|service|
    // serviceaccount` and `run` may send as protobuf.
    for (const char* kind : {"Namespace", "Secret", "ConfigMap", "Service",
                             "ServiceAccount", "Pod"}) {
      if (Status s = registrar.AddProtobufSchema(
              k8s_proto::MakeSchema("v1", kind, {k8s_proto::CoreV1Messages()}));
          !s.ok()) {
        return s;
      }
    }
    if (Status s = registrar.AddAdmission(
            std::make_shared<NamespaceLifecycle>(&host.client()));
        !s.ok()) {
      return s;
    }
    // After NamespaceLifecycle, as in the apiserver's plugin order.
    if (Status s = registrar.AddAdmission(
            std::make_shared<ServiceAccountAdmission>(&host.client()));
        !s.ok()) {
      return s;
    }
    if (Status s =
            registrar.AddAdmission(std::make_shared<DefaultTolerationSeconds>(
                lifecycle->not_ready_toleration_seconds,
                lifecycle->unreachable_toleration_seconds));
        !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddController(
            std::make_shared<NamespaceController>(host.client()));
        !s.ok()) {
      return s;
    }
    if (Status s =
            registrar.AddController(std::make_shared<PodGcController>(host));
        !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddController(
            std::make_shared<OrphanPodGcController>(host));
        !s.ok()) {
      return s;
    }
    // Pods on nodes this process does not serve are reached through their
    // node's kubelet port.
    if (Status s = registrar.AddConnectLocator(
            std::make_shared<PodConnectLocator>(&host.client()));
        !s.ok()) {
      return s;
    }
    if (Status s = AddEndpointsControllers(host, registrar); !s.ok()) {
      return s;
    }
    if (Status s = registrar.AddController(
            std::make_shared<KubernetesEndpointsReconciler>(host));
        !s.ok()) {
      return s;
    }
    auto accounts = std::make_shared<ServiceAccountController>(host.client());
    for (std::shared_ptr<Controller> c : {std::shared_ptr<Controller>(accounts),
                                          accounts->ServiceAccountTrigger()}) {
      if (Status s = registrar.AddController(c); !s.ok()) return s;
    }
    auto root_ca = std::make_shared<RootCaPublisher>(host);
    for (std::shared_ptr<Controller> c :
         {std::shared_ptr<Controller>(root_ca), root_ca->ConfigMapTrigger()}) {
      if (Status s = registrar.AddController(c); !s.ok()) return s;
    }
    if (ipam->allocate) {
      if (Status s = registrar.AddController(
              std::make_shared<NodeIpamController>(host, *ipam, *network));
          !s.ok()) {
        return s;
      }
    }
    return registrar.AddController(
        std::make_shared<NodeLifecycleController>(host, *lifecycle));
  }

  // Seeds the namespaces every cluster has, learns the Service allocations
  // made before a restart, and creates the `kubernetes` Service that
  // in-cluster clients find the API by.
  Status Start() override {
    for (const char* name : kSystemNamespaces) {
      auto created = host_->client().Create(
          kNamespaces, "",
          std::string(
              R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")") +
              name + R"("}})");
      if (!created.ok() && !created.status().IsAlreadyExists()) {
        return created.status();
      }
    }
    if (Status s = services_->SyncAllocations(); !s.ok()) return s;
    return EnsureKubernetesService();
  }

 private:
  // The endpoints and endpointslice controllers, and the pod watcher that
  // brings them the changes of the pods their Services select.
  static Status AddEndpointsControllers(Host& host, Registrar& registrar) {
    auto endpoints = std::make_shared<EndpointsController>(host.client());
    auto slices = std::make_shared<EndpointSliceController>(host.client());
    auto pods = std::make_shared<ServicePodWatcher>(
        host.client(),
        std::vector<std::shared_ptr<ServiceSyncer>>{endpoints, slices});
    auto mirroring =
        std::make_shared<EndpointSliceMirroringController>(host.client());
    for (std::shared_ptr<Controller> c :
         {std::shared_ptr<Controller>(endpoints),
          std::shared_ptr<Controller>(slices),
          std::shared_ptr<Controller>(pods),
          std::shared_ptr<Controller>(mirroring),
          mirroring->ServiceTrigger()}) {
      if (Status s = registrar.AddController(c); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // As kube-apiserver does: default/kubernetes holds the first address of
  // the Service range, so no user Service is ever handed it, and its
  // targetPort is the port the API server serves on. If a Service
  // created before this existed already holds that address, the cluster
  // keeps working without one and says why.
  Status EnsureKubernetesService() {
    const std::string ip = FormatIpv4(network_.FirstIp());
    const int api_port = host_->api_endpoint().port;
    auto created = host_->client().Create(
        kServices, "default",
        R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes",)"
        R"("labels":{"component":"apiserver","provider":"kubernetes"}},)"
        R"("spec":{"type":"ClusterIP","clusterIP":")" +
            ip +
            R"(","ports":[{"name":"https","port":443,"protocol":"TCP",)"
            R"("targetPort":)" +
            std::to_string(api_port > 0 ? api_port : 6443) + "}]}}");
    if (created.ok() || created.status().IsAlreadyExists()) return {};
    host_->Log(kLogWarn, Name(),
               "service default/kubernetes not created: " +
                   created.status().message());
    return {};
  }

  static constexpr const char* kSystemNamespaces[] = {
      "default", "kube-system", "kube-public", "kube-node-lease"};
  const ResourceRef kNamespaces{"", "v1", "namespaces"};
  const ResourceRef kServices{"", "v1", "services"};

  Host* host_ = nullptr;
  ServiceNetwork network_;
  std::shared_ptr<ServiceKind> services_;
};

}  // namespace
}  // namespace berth::core

BERTH_PLUGIN(berth::core::CorePlugin)
