// The bounded JSON reader moved to util/ (tempo needs it too); this name stays for existing includes.
#pragma once

#include "util/json_reader.h"
