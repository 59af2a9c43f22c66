// GreetingKind: the example.berth.io/v1 Greeting kind — what the API serves
// (names, scope, printer columns, schema) and how it validates objects.
//
// Thread safety: stateless; safe for concurrent calls.
#ifndef BERTH_EXAMPLES_GREETING_GREETING_KIND_H_
#define BERTH_EXAMPLES_GREETING_GREETING_KIND_H_

#include <chrono>
#include <string>
#include <vector>

#include "berth/kind.h"

namespace greeting {

class GreetingKind : public berth::Kind {
 public:
  GreetingKind();

  const berth::KindInfo& Info() const override { return info_; }
  // spec.name is required.
  std::vector<berth::FieldCause> Validate(
      const berth::Json& obj, const berth::Json* old) const override;
  // NAME, MESSAGE, AGE.
  std::vector<berth::PrinterColumn> Columns() const override;
  void Cells(const berth::Json& obj, std::chrono::system_clock::time_point now,
             berth::Json& cells, berth::JsonAlloc& alloc) const override;
  std::string OpenApiSchemas() const override;

 private:
  berth::KindInfo info_;
};

}  // namespace greeting

#endif  // BERTH_EXAMPLES_GREETING_GREETING_KIND_H_
