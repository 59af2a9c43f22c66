#include "node_object_base.h"

namespace berth::kubelet {

JsonDoc NodeObjectBase(const std::string& name) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "apiVersion", "v1", a);
  SetString(d, "kind", "Node", a);
  Json& meta = EnsureObject(d, "metadata", a);
  SetString(meta, "name", name, a);
  Json& labels = EnsureObject(meta, "labels", a);
  SetString(labels, "beta.kubernetes.io/arch", "amd64", a);
  SetString(labels, "beta.kubernetes.io/os", "linux", a);
  SetString(labels, "kubernetes.io/arch", "amd64", a);
  SetString(labels, "kubernetes.io/hostname", name, a);
  SetString(labels, "kubernetes.io/os", "linux", a);
  Json& annotations = EnsureObject(meta, "annotations", a);
  SetString(annotations, "node.alpha.kubernetes.io/ttl", "0", a);
  EnsureObject(d, "spec", a);
  return d;
}

}  // namespace berth::kubelet
