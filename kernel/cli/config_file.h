// Where the `berth` commands find their plugin config when no --config is
// given: conf/<name> under the working directory, next to the installed
// binary (<exe dir>/../conf, <exe dir>/conf), then the source tree's conf/
// the binary was built from.
//
// Thread safety: reads the file system; safe from any thread.
#ifndef BERTH_KERNEL_CLI_CONFIG_FILE_H_
#define BERTH_KERNEL_CLI_CONFIG_FILE_H_

#include <string>

namespace berth::cli {

// The first existing candidate for `file_name` ("berth.yaml",
// "agent.yaml"), or "" when there is none.
std::string FindConfigFile(const std::string& file_name);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_CONFIG_FILE_H_
