// berth-token: `berth token …` as a CLI extension (kernel/cli/extensions.h),
// so the kernel's `berth` names no kind: bootstrap tokens are Secrets and
// node credentials come from CertificateSigningRequests, both this plugin's
// business.
#include <string>
#include <vector>

#include "plugins/certificates/token/token_command.h"

int main(int argc, char** argv) {
  return berth::certificates::RunToken(
      std::vector<std::string>(argv + 1, argv + argc));
}
