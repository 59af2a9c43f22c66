#include "process_settings.h"

#include "berth/json.h"
#include "shim_runtime.h"

namespace berth::runtime {

StatusOr<ProcessSettings> ParseProcessSettings(const std::string& json,
                                               const std::string& data_dir) {
  auto doc = ParseJson(json.empty() ? "{}" : json);
  if (!doc.ok())
    return Status::Invalid("process: settings: " + doc.status().message());
  ProcessSettings s;
  for (auto [key, field] :
       {std::pair{"root", &s.root}, std::pair{"shimPath", &s.shim_path}}) {
    if (const Json* v = Member(*doc, key)) {
      if (!v->IsString() || v->GetStringLength() == 0) {
        return Status::Invalid(std::string("process: ") + key +
                               ": must be a non-empty string");
      }
      *field = v->GetString();
    }
  }
  if (s.root.empty()) s.root = data_dir + "/runtime/process";
  if (s.shim_path.empty()) s.shim_path = DefaultShimPath();
  return s;
}

}  // namespace berth::runtime
