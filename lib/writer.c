#include "config.h"
#include "writer.h"
