/* fs-plugin-info.c: placeholder, replaced by its implementation. */
#include "config.h"
