// The OpenAPI schemas: valid JSON, every $ref resolvable, and every field
// of the example manifests (from the course material users apply first)
// known, since the kernel rejects unknown fields under fieldValidation=Strict.
#include <memory>
#include <set>

#include "config_map_kind.h"
#include "endpoints_kind.h"
#include "event_kind.h"
#include "namespace_kind.h"
#include "node_kind.h"
#include "pod_kind.h"
#include "schema_registry.h"
#include "secret_kind.h"
#include "service_account_kind.h"
#include "service_kind.h"
#include "test_util.h"

namespace berth::core {
namespace {

constexpr std::string_view kRefPrefix = "#/components/schemas/";

const std::set<std::string> kKernelSchemas = {
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
    "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"};

class SchemaTest : public ::testing::Test {
 protected:
  SchemaTest() {
    auto net = ParseServiceNetwork("{}");
    kinds_ = {std::make_shared<PodKind>(),
              std::make_shared<ServiceKind>(*net, nullptr),
              std::make_shared<NamespaceKind>(),
              std::make_shared<ConfigMapKind>(),
              std::make_shared<SecretKind>(),
              std::make_shared<ServiceAccountKind>(),
              std::make_shared<EventKind>(),
              std::make_shared<NodeKind>(),
              std::make_shared<EndpointsKind>()};
    all_.SetObject();
    for (const auto& k : kinds_) Merge(k->OpenApiSchemas());
    Merge(PodTemplateSchemasJson());
  }

  void Merge(const std::string& text) {
    JsonDoc d = Parse(text);
    ASSERT_TRUE(d.IsObject());
    for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
      if (!Member(all_, it->name.GetString())) {
        all_.AddMember(Json(it->name, all_.GetAllocator()),
                       Json(it->value, all_.GetAllocator()),
                       all_.GetAllocator());
      }
    }
  }

  void CollectRefs(const Json& v, std::set<std::string>& refs) {
    if (v.IsObject()) {
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        if (std::string_view(it->name.GetString()) == "$ref") {
          refs.insert(it->value.GetString());
        } else {
          CollectRefs(it->value, refs);
        }
      }
    } else if (v.IsArray()) {
      for (const auto& e : v.GetArray()) CollectRefs(e, refs);
    }
  }

  // Appends the path of every member of `value` that `schema` lacks.
  void Walk(const Json& schema, const Json& value, const std::string& path,
            std::vector<std::string>& unknown) {
    if (const Json* all_of = Member(schema, "allOf")) {
      Walk(RefTarget((*all_of)[0]), value, path, unknown);
      return;
    }
    if (const Json* ref = Member(schema, "$ref")) {
      Walk(RefTarget(schema), value, path, unknown);
      (void)ref;
      return;
    }
    if (Member(schema, "x-kubernetes-preserve-unknown-fields")) return;
    if (const Json* items = Member(schema, "items"); items && value.IsArray()) {
      for (size_t i = 0; i < value.Size(); ++i) {
        Walk(*items, value[i], path + "[" + std::to_string(i) + "]", unknown);
      }
      return;
    }
    if (const Json* extra = Member(schema, "additionalProperties");
        extra && value.IsObject()) {
      for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
        Walk(*extra, it->value, path + "." + it->name.GetString(), unknown);
      }
      return;
    }
    const Json* props = Member(schema, "properties");
    if (!props || !value.IsObject()) return;
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string child = path + "." + it->name.GetString();
      const Json* p = Member(*props, it->name.GetString());
      if (!p) {
        unknown.push_back(child);
        continue;
      }
      Walk(*p, it->value, child, unknown);
    }
  }

  const Json& RefTarget(const Json& ref_holder) {
    static const Json kOpen(rapidjson::kObjectType);
    std::string ref = GetString(ref_holder, {"$ref"});
    std::string name = ref.substr(kRefPrefix.size());
    const Json* target = Member(all_, name);
    return target ? *target : kOpen;  // kernel meta types: not walked
  }

  std::vector<std::string> Unknown(const char* schema, const std::string& obj) {
    JsonDoc d = Parse(obj);
    std::vector<std::string> unknown;
    const Json* s = Member(all_, schema);
    EXPECT_NE(s, nullptr) << schema;
    if (s) Walk(*s, d, "", unknown);
    return unknown;
  }

  std::vector<std::shared_ptr<Kind>> kinds_;
  JsonDoc all_;
};

TEST_F(SchemaTest, EveryRefResolves) {
  std::set<std::string> refs;
  CollectRefs(all_, refs);
  EXPECT_GT(refs.size(), 50u);
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind(kRefPrefix, 0), 0u) << ref;
    std::string name = ref.substr(kRefPrefix.size());
    EXPECT_TRUE(Member(all_, name) || kKernelSchemas.count(name)) << name;
  }
}

TEST_F(SchemaTest, KindsCarryGroupVersionKindAndDescriptions) {
  for (const auto& k : kinds_) {
    const Json* s = Member(all_, k->Info().schema_name);
    ASSERT_NE(s, nullptr) << k->Info().schema_name;
    EXPECT_FALSE(GetString(*s, {"description"}).empty());
    EXPECT_EQ(GetString(*s, {"type"}), "object");
    const Json* gvk = Member(*s, "x-kubernetes-group-version-kind");
    ASSERT_TRUE(gvk && gvk->IsArray() && gvk->Size() == 1);
    EXPECT_EQ(GetString((*gvk)[0], {"kind"}), k->Info().kind);
    EXPECT_EQ(GetString((*gvk)[0], {"version"}), "v1");
    EXPECT_EQ(GetString((*gvk)[0], {"group"}, "missing"), "");
  }
}

TEST_F(SchemaTest, MergeListsAndScalars) {
  const Json& containers =
      all_["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
  EXPECT_EQ(GetString(containers, {"x-kubernetes-patch-merge-key"}), "name");
  EXPECT_EQ(GetString(containers, {"x-kubernetes-patch-strategy"}), "merge");
  EXPECT_EQ(GetString(containers["items"]["allOf"][0], {"$ref"}),
            "#/components/schemas/io.k8s.api.core.v1.Container");
  EXPECT_EQ(ToJson(all_["io.k8s.api.core.v1.Container"]["properties"]["ports"]
                       ["x-kubernetes-list-map-keys"]),
            R"(["containerPort","protocol"])");
  EXPECT_EQ(GetString(all_, {"io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                             "format"}),
            "int-or-string");
  EXPECT_EQ(GetString(all_, {"io.k8s.apimachinery.pkg.api.resource.Quantity",
                             "type"}),
            "string");
  JsonDoc tmpl = Parse(PodTemplateSchemasJson());
  EXPECT_TRUE(Member(tmpl, "io.k8s.api.core.v1.PodTemplateSpec"));
  EXPECT_TRUE(Member(tmpl, "io.k8s.api.core.v1.Probe"));
  EXPECT_FALSE(Member(tmpl, "io.k8s.api.core.v1.Service"));
}

TEST_F(SchemaTest, ExamplePodsAreKnown) {
  const char* pods[] = {
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"hello-pod","labels":{"app":"web"}},
        "spec":{"containers":[{"name":"web-ctr","image":"nigelpulton/getting-started-k8s:1.0",
        "ports":[{"containerPort":8080}]}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"bibble-pod","labels":{"app":"bibble"}},
        "spec":{"hostNetwork":true,"containers":[{"name":"bibble-container",
        "image":"bibble235/bibble:0.0.1","ports":[{"containerPort":443}],
        "volumeMounts":[{"mountPath":"/etc/someshare","name":"someshare-volume"}],
        "resources":{"requests":{"memory":"64Mi","cpu":"250m"},
                     "limits":{"memory":"128Mi","cpu":"500m"}}}],
        "volumes":[{"name":"someshare-volume","hostPath":{"path":"/tmp/someshare"}}],
        "imagePullSecrets":[{"name":"regcred"}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"rng-with-liveness"},
        "spec":{"containers":[{"name":"rng","image":"dockercoins/rng:v0.1",
        "livenessProbe":{"httpGet":{"path":"/","port":80},"initialDelaySeconds":10,
        "periodSeconds":1}}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"redis-with-liveness"},
        "spec":{"containers":[{"name":"redis","image":"redis",
        "livenessProbe":{"exec":{"command":["redis-cli","ping"]}}}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"nginx-with-volume"},
        "spec":{"volumes":[{"name":"www"}],"containers":[{"name":"nginx","image":"nginx",
        "volumeMounts":[{"name":"www","mountPath":"/usr/share/nginx/html/"}]},
        {"name":"git","image":"alpine","command":["sh","-c","apk add"],
        "volumeMounts":[{"name":"www","mountPath":"/www/"}]}],"restartPolicy":"OnFailure"}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"registry"},
        "spec":{"containers":[{"name":"registry","image":"registry",
        "env":[{"name":"REGISTRY_HTTP_ADDR","valueFrom":{"configMapKeyRef":
        {"name":"registry","key":"http.addr"}}}]}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"haproxy"},
        "spec":{"volumes":[{"name":"config","configMap":{"name":"haproxy"}}],
        "containers":[{"name":"haproxy","image":"haproxy","volumeMounts":[
        {"name":"config","mountPath":"/usr/local/etc/haproxy/"}]}]}})",
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-using-a-claim"},
        "spec":{"containers":[{"image":"busybox","name":"container-using-a-claim",
        "volumeMounts":[{"mountPath":"/my-ebs","name":"my-volume"}]}],
        "volumes":[{"name":"my-volume","persistentVolumeClaim":{"claimName":"my-claim"}}]}})",
  };
  PodKind kind;
  for (const char* pod : pods) {
    EXPECT_THAT(Unknown("io.k8s.api.core.v1.Pod", pod), ::testing::IsEmpty())
        << pod;
    // And the defaulted object, as the server stores and returns it.
    JsonDoc d = Parse(pod);
    kind.Default(d, d.GetAllocator());
    EXPECT_TRUE(kind.Validate(d, nullptr).empty()) << pod;
    EXPECT_THAT(Unknown("io.k8s.api.core.v1.Pod", ToJson(d)),
                ::testing::IsEmpty());
  }
}

TEST_F(SchemaTest, ExampleTemplatesAreKnown) {
  const char* templates[] = {
      R"({"metadata":{"labels":{"app":"postgres-container","tier":"backend"}},
        "spec":{"containers":[{"name":"postgres-container","image":"postgres:9.6.6",
        "env":[{"name":"POSTGRES_USER","valueFrom":{"secretKeyRef":
        {"name":"postgres-credentials","key":"user"}}},
        {"name":"POSTGRES_DB","value":"kubernetes_django"}],
        "ports":[{"containerPort":5432}],
        "volumeMounts":[{"name":"postgres-volume-mount","mountPath":"/var/lib/postgresql/data"}]}],
        "volumes":[{"name":"postgres-volume-mount","persistentVolumeClaim":
        {"claimName":"postgres-pvc"}}]}})",
      R"({"metadata":{"labels":{"app":"web"}},"spec":{"terminationGracePeriodSeconds":1,
        "containers":[{"name":"hello-pod","image":"nigelpoulton/getting-started-k8s:2.0",
        "imagePullPolicy":"Always","ports":[{"containerPort":8080}]}]}})",
      R"({"metadata":{"labels":{"app":"postgres"}},"spec":{"schedulerName":"stork",
        "containers":[{"name":"postgres","image":"postgres:10.5","volumeMounts":
        [{"mountPath":"/var/lib/postgresql/data","name":"postgres"}]}]}})",
  };
  for (const char* t : templates) {
    EXPECT_THAT(Unknown("io.k8s.api.core.v1.PodTemplateSpec", t),
                ::testing::IsEmpty());
  }
}

TEST_F(SchemaTest, ExampleServicesSecretsConfigMapsNamespacesAreKnown) {
  EXPECT_THAT(Unknown("io.k8s.api.core.v1.Service", R"({"apiVersion":"v1",
    "kind":"Service","metadata":{"name":"ps-nodeport"},"spec":{"type":"NodePort",
    "ports":[{"port":80,"targetPort":8080,"nodePort":31111,"protocol":"TCP"}],
    "selector":{"app":"web"}}})"),
              ::testing::IsEmpty());
  EXPECT_THAT(Unknown("io.k8s.api.core.v1.Secret", R"({"apiVersion":"v1",
    "kind":"Secret","metadata":{"name":"postgres-credentials"},"type":"Opaque",
    "data":{"user":"ZGphbmdv","password":"MWEy"}})"),
              ::testing::IsEmpty());
  EXPECT_THAT(Unknown("io.k8s.api.core.v1.ConfigMap", R"({"apiVersion":"v1",
    "kind":"ConfigMap","metadata":{"name":"registry"},
    "data":{"http.addr":"0.0.0.0:80"}})"),
              ::testing::IsEmpty());
  EXPECT_THAT(Unknown("io.k8s.api.core.v1.Namespace", R"({"apiVersion":"v1",
    "kind":"Namespace","metadata":{"name":"blue"},"spec":{"finalizers":["kubernetes"]},
    "status":{"phase":"Active"}})"),
              ::testing::IsEmpty());
  // The walker does catch what is missing.
  EXPECT_THAT(Unknown("io.k8s.api.core.v1.Service",
                      R"({"spec":{"ports":[{"prot":"TCP"}]}})"),
              ::testing::ElementsAre(".spec.ports[0].prot"));
}

}  // namespace
}  // namespace berth::core
