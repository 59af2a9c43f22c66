// CLI extensions, git-style: `berth <word> args...` for a word the kernel
// CLI does not know runs the executable `berth-<word>` found next to the
// berth binary, else on $PATH, with the remaining args. Plugins ship their
// commands this way (berth-image from the oci runtime) without the kernel
// knowing them.
//
// Thread safety: reads the file system and environment; call from main.
#ifndef BERTH_KERNEL_CLI_EXTENSIONS_H_
#define BERTH_KERNEL_CLI_EXTENSIONS_H_

#include <optional>
#include <string>
#include <vector>

namespace berth::cli {

// The path of berth-<word>, or nullopt when there is none.
std::optional<std::string> FindExtension(const std::string& word);

// The words of every extension found, sorted, without duplicates.
std::vector<std::string> ListExtensions();

// Replaces this process with the extension at `path` run with `args`.
// Returns (exit code 126) only when exec fails, after printing why.
int ExecExtension(const std::string& path,
                  const std::vector<std::string>& args);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_EXTENSIONS_H_
