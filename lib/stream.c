#include "config.h"
#include "stream.h"
