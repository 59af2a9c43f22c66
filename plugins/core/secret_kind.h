// SecretKind: the core/v1 Secret resource — type Opaque by default,
// stringData folded into base64 data, key and base64 validation, the
// per-type required keys (dockerconfigjson, dockercfg, basic-auth,
// ssh-auth, tls), and kubectl's columns.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_CORE_SECRET_KIND_H_
#define BERTH_PLUGINS_CORE_SECRET_KIND_H_

#include <string>

#include "berth/kind.h"

namespace berth::core {

class SecretKind : public Kind {
 public:
  SecretKind();

  const KindInfo& Info() const override { return info_; }
  void Default(Json& obj, JsonAlloc& alloc) const override;
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  std::vector<PrinterColumn> Columns() const override;
  void Cells(const Json& obj, std::chrono::system_clock::time_point now,
             Json& cells, JsonAlloc& alloc) const override;
  std::vector<std::string> SelectableFields() const override;
  std::map<std::string, std::string> FieldValues(
      const Json& obj) const override;
  std::string OpenApiSchemas() const override { return schemas_; }

 private:
  KindInfo info_;
  std::string schemas_;
};

// Go's encoding/json wording for why `text` is not JSON ("invalid
// character 'x' looking for beginning of value", "unexpected end of JSON
// input"); empty when it parses.
std::string JsonSyntaxError(const std::string& text);

}  // namespace berth::core

#endif  // BERTH_PLUGINS_CORE_SECRET_KIND_H_
