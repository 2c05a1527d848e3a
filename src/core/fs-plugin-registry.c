/* fs-plugin-registry.c: placeholder, replaced by its implementation. */
#include "config.h"
