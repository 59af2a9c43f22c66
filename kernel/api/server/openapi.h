// OpenAPI: the /openapi/v3 documents built from each kind's schemas, which
// kubectl needs for server-side field validation (a PATCH operation tagged
// with the kind's GVK and a fieldValidation parameter) and for `explain`;
// and the unknown-field check behind fieldValidation=Strict, which walks an
// object against the same schemas.
//
// Thread safety: immutable after construction.
#ifndef BERTH_KERNEL_API_SERVER_OPENAPI_H_
#define BERTH_KERNEL_API_SERVER_OPENAPI_H_

#include <map>
#include <string>
#include <vector>

#include "berth/json.h"
#include "berth/kind.h"

namespace berth::api {

class OpenApi {
 public:
  // `kinds` must stay valid while the OpenApi is used. Kinds whose schemas
  // are not valid JSON are served with a permissive schema (logged).
  explicit OpenApi(std::vector<const Kind*> kinds);

  // GET /openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":...}}}.
  const std::string& Root() const { return root_; }
  // GET /openapi/v3/<gv> ("api/v1", "apis/apps/v1"); nullptr if unknown.
  const std::string* Document(const std::string& gv_path) const;
  // Hash of a document (the ?hash= and ETag value).
  std::string Hash(const std::string& gv_path) const;

  // The unknown fields of `obj` per the kind's schema, as dotted paths with
  // indexes ("spec.containers[0].foo"). Empty when the kind has no schema.
  std::vector<std::string> UnknownFields(const Kind& kind,
                                         const Json& obj) const;

 private:
  void WalkUnknown(const Json& schema, const Json& value,
                   const std::string& path, int depth,
                   std::vector<std::string>* out) const;
  const Json* Resolve(const Json& schema) const;

  JsonDoc schemas_;  // every component schema by name
  std::map<std::string, std::string> documents_;
  std::map<std::string, std::string> hashes_;
  std::string root_;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_OPENAPI_H_
