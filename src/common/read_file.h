// Whole-file reads for the loaders of small data files (dictionaries, thesauri).
#pragma once

#include <string>

#include "common/result.h"

namespace cinerec {

// The bytes of `path`, or an error "cannot open PATH" / "cannot read PATH".
Result<std::string> read_file(const std::string& path);

}  // namespace cinerec
