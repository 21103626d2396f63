/* The version string that /health and --version report. */
#ifndef PLC_VERSION_H
#define PLC_VERSION_H
#include "config.h"
#define PLC_VERSION PACKAGE_VERSION
#endif
