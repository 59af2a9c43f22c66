// The self-review kinds kubectl's `auth` commands create:
//   SelfSubjectAccessReview (authorization.k8s.io/v1) — `auth can-i VERB
//     RESOURCE`: may the requesting user do this? (Authorizer::Authorize)
//   SelfSubjectRulesReview (authorization.k8s.io/v1) — `auth can-i --list`:
//     everything the user may do in a namespace (Authorizer::RulesFor)
//   SelfSubjectReview (authentication.k8s.io/v1) — `auth whoami`: who the
//     server thinks the user is.
// Each is a review kind (KindInfo::stored false): a create answers in
// `status` and nothing is kept.
//
// Thread safety: immutable after construction; all methods may be called
// concurrently.
#ifndef BERTH_PLUGINS_AUTH_REVIEW_KINDS_H_
#define BERTH_PLUGINS_AUTH_REVIEW_KINDS_H_

#include <vector>

#include "berth/kind.h"

namespace berth::auth {

class SelfSubjectAccessReviewKind : public Kind {
 public:
  SelfSubjectAccessReviewKind();
  const KindInfo& Info() const override { return info_; }
  std::vector<FieldCause> Validate(const Json& obj,
                                   const Json* old) const override;
  Status Review(Json& obj, JsonAlloc& alloc, const UserInfo& user,
                const Authorizer& authorizer) const override;

 private:
  KindInfo info_;
};

class SelfSubjectRulesReviewKind : public Kind {
 public:
  SelfSubjectRulesReviewKind();
  const KindInfo& Info() const override { return info_; }
  Status Review(Json& obj, JsonAlloc& alloc, const UserInfo& user,
                const Authorizer& authorizer) const override;

 private:
  KindInfo info_;
};

class SelfSubjectReviewKind : public Kind {
 public:
  SelfSubjectReviewKind();
  const KindInfo& Info() const override { return info_; }
  Status Review(Json& obj, JsonAlloc& alloc, const UserInfo& user,
                const Authorizer& authorizer) const override;

 private:
  KindInfo info_;
};

}  // namespace berth::auth

#endif  // BERTH_PLUGINS_AUTH_REVIEW_KINDS_H_
