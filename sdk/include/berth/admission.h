// Admission: a plugin's chance to mutate or refuse a write after the kind's
// own defaulting and validation, as the apiserver's admission chain does
// (NamespaceLifecycle, LimitRanger, ...). Admissions run in registration
// order for every write of every kind; one refusal stops the write.
//
// Thread safety: Admit is called from many request threads at once.
#ifndef BERTH_SDK_ADMISSION_H_
#define BERTH_SDK_ADMISSION_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "berth/json.h"
#include "berth/status.h"

namespace berth {

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
};

struct AdmissionRequest {
  enum class Operation { kCreate, kUpdate, kDelete };
  Operation operation = Operation::kCreate;
  ResourceRef resource;
  std::string kind;         // "Pod"
  std::string subresource;  // "" or "status", "scale"
  std::string ns;
  std::string name;
  bool dry_run = false;
  UserInfo user;
  // The stored object on update and delete; nullptr on create.
  const Json* old_object = nullptr;
};

class Admission {
 public:
  virtual ~Admission() = default;
  virtual std::string Name() const = 0;
  // May mutate `obj` (the object being written; on delete, the stored one).
  // A non-OK Status refuses the write and is returned to the client as is.
  virtual Status Admit(const AdmissionRequest& req, Json& obj,
                       JsonAlloc& alloc) = 0;
};

}  // namespace berth

#endif  // BERTH_SDK_ADMISSION_H_
