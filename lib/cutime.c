#include "config.h"
#include "cutime.h"
